import Logging
import Testing
@testable import BufferedLog

/// Lines from ``LogField``s read exactly as the same pairs given as string metadata: the access
/// log's fast path must not be told apart from the general one.
@Suite struct LogFieldLineTests {
    let time = WallTime(seconds: 1_796_350_169, nanoseconds: 123_999_999)

    static let cases: [(path: String, requestID: String, micros: UInt64, status: Int)] = [
        ("/healthz", "", 0, 200),
        ("/v1/sites/a b", "r-1", 5, 404),
        ("/quote\"and\\=\n2026-12-04T00:00:00.000Z critical forged", "id with space", 12_345, 400),
        ("", "é", 1_000_000_123, 503),
    ]

    @Test(arguments: LogFormat.allCases)
    func fieldsGiveTheLineTheMetadataWouldGive(format: LogFormat) {
        let formatter = LogLineFormatter(format: format)
        for (path, requestID, micros, status) in Self.cases {
            var metadata: Logger.Metadata = [
                "duration_ms": .string(Self.thousandths(micros)), "method": "GET", "path": .string(path),
                "status": .string(String(status)),
            ]
            var fields = [LogField("duration_ms", .thousandths(micros)), LogField("method", .text("GET")), LogField("path", .text(path))]
            if !requestID.isEmpty {
                metadata["request-id"] = .string(requestID)
                fields.append(LogField("request-id", .text(requestID)))
            }
            fields.append(LogField("status", .integer(status)))
            let general = formatter.line(time: time, level: .info, label: "readiness", message: "request", metadata: metadata)
            let fast = formatter.line(time: time, level: .info, label: "readiness", message: "request", orderedFields: fields)
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: general, as: UTF8.self))
        }
    }

    @Test(arguments: LogFormat.allCases)
    func noFieldsGiveTheLineOfEmptyMetadata(format: LogFormat) {
        let formatter = LogLineFormatter(format: format)
        #expect(formatter.line(time: time, level: .notice, label: "l", message: "m", orderedFields: [])
            == formatter.line(time: time, level: .notice, label: "l", message: "m", metadata: [:]))
    }

    /// The stack-memory line is the array line, short or past the stack's room (then it falls
    /// back to an array, whole).
    @Test(arguments: LogFormat.allCases, [8, 900, 1_000, 1_100, 5_000])
    func theStackLineIsTheArrayLineWhateverItsLength(format: LogFormat, pathBytes: Int) {
        let formatter = LogLineFormatter(format: format)
        let fields = [LogField("path", .text("/" + String(repeating: "p", count: pathBytes))), LogField("status", .integer(200))]
        let array = formatter.line(time: time, level: .info, label: "readiness", message: "request", orderedFields: fields)
        var handed: [[UInt8]] = []
        formatter.withLine(time: time, level: .info, label: "readiness", message: "request", orderedFields: fields) {
            handed.append(Array($0))
        }
        #expect(handed == [array])
        #expect(array.count > pathBytes && array.last == UInt8(ascii: "\n"))
    }

    @Test func thousandthsHaveThreePlacesAndAWholePart() {
        let line = LogLineFormatter(format: .text).line(
            time: time, level: .info, label: "l", message: "m",
            orderedFields: [LogField("a", .thousandths(7)), LogField("b", .thousandths(1_500)), LogField("c", .integer(0))])
        #expect(String(decoding: line, as: UTF8.self) == "2026-12-04T02:09:29.123Z info l: m a=0.007 b=1.500 c=0\n")
    }

    /// `AccessLogMiddleware.milliseconds`' spelling, written out independently.
    static func thousandths(_ micros: UInt64) -> String {
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
