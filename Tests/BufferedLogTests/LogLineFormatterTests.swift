import Foundation
import Logging
import Testing
@testable import BufferedLog

@Suite struct LogLineFormatterTests {
    /// 2026-12-04T02:09:29.123Z, with sub-millisecond digits that must be cut, not rounded.
    let time = WallTime(seconds: 1_796_350_169, nanoseconds: 123_999_999)

    @Test func jsonLineIsOneObjectWithRFC3339TimeLevelLabelMessageAndMetadata() throws {
        let line = LogLineFormatter(format: .json).line(
            time: time, level: .info, label: "readiness", message: "request",
            metadata: ["method": "GET", "status": .stringConvertible(200), "tags": ["a", "b"], "nested": ["k": "v"]])
        let text = String(decoding: line, as: UTF8.self)
        #expect(text == #"{"time":"2026-12-04T02:09:29.123Z","level":"info","label":"readiness","message":"request","metadata":{"method":"GET","nested":{"k":"v"},"status":"200","tags":["a","b"]}}"# + "\n")
        let object = try JSONDecoder().decode(JSONLogLine.self, from: Data(line))
        #expect(object.level == "info")
        let parsedTime = object.time
        #expect(ISO8601DateFormatter().date(from: parsedTime.replacingOccurrences(of: ".123", with: "")) != nil)
    }

    @Test func jsonLineLeavesOutEmptyMetadata() {
        let line = LogLineFormatter(format: .json).line(time: time, level: .warning, label: "l", message: "m", metadata: [:])
        #expect(String(decoding: line, as: UTF8.self) == #"{"time":"2026-12-04T02:09:29.123Z","level":"warning","label":"l","message":"m"}"# + "\n")
    }

    @Test func textLineHasTimeLevelLabelMessageAndSortedPairs() {
        let line = LogLineFormatter(format: .text).line(
            time: time, level: .info, label: "readiness", message: "request",
            metadata: ["status": .stringConvertible(200), "path": "/healthz", "method": "GET", "note": "two words", "empty": ""])
        #expect(String(decoding: line, as: UTF8.self)
            == #"2026-12-04T02:09:29.123Z info readiness: request empty="" method=GET note="two words" path=/healthz status=200"# + "\n")
    }

    /// A client chooses the path and the request id: a newline in them must not start a forged line.
    @Test(arguments: LogFormat.allCases)
    func controlCharactersNeverSplitALine(format: LogFormat) {
        let line = LogLineFormatter(format: format).line(
            time: time, level: .error, label: "x", message: "one\ntwo\r\u{1}",
            metadata: ["path": "/a\n2026-12-04T00:00:00.000Z critical forged: x", "quote": "say \"hi\"\\"])
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.filter { $0 == "\n" }.count == 1)
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#"one\ntwo\r\u0001"#))
        #expect(text.contains(#""say \"hi\"\\""#))
    }

    @Test(arguments: [
        (Int64(0), 0, "1970-01-01T00:00:00.000Z"),
        (Int64(1_709_251_199), 999_000_000, "2024-02-29T23:59:59.999Z"),
        (Int64(951_868_800), 5_000_000, "2000-03-01T00:00:00.005Z"),
        (Int64(-1), 0, "1969-12-31T23:59:59.000Z"),
        (Int64(253_402_300_799), 0, "9999-12-31T23:59:59.000Z"),
    ])
    func formatsRFC3339InUTC(seconds: Int64, nanoseconds: Int, expected: String) {
        var buffer: [UInt8] = []
        WallTime(seconds: seconds, nanoseconds: Int32(nanoseconds)).appendRFC3339(to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }
}

/// The members every JSON log line carries, read back as a consumer of the log would. (The
/// app's tests have their own, `LogLineBody`: this target does not depend on their support.)
private struct JSONLogLine: Decodable {
    let time: String
    let level: String
    let label: String
    let message: String
}
