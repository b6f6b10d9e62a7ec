import BufferedLog
import HTTPServer
import Logging
import Testing
@testable import ReadinessApp

/// The access log's fast path writes the line swift-log's path writes for the same request,
/// in both formats, and is only taken where it loses nothing.
@Suite struct BufferedAccessLogTests {
    static let entries = [
        AccessLogEntry(method: "GET", path: "/healthz", status: 200, durationMicros: 42, requestID: ""),
        AccessLogEntry(method: "POST", path: "/v1/probe/upload", status: 201, durationMicros: 12_345_678, requestID: "req-7"),
        AccessLogEntry(method: "GET", path: "/a path\"with\nnewline", status: 400, durationMicros: 1_000, requestID: "x y"),
    ]

    @Test(arguments: LogFormat.allCases)
    func writesTheLineTheLoggerWouldWrite(format: LogFormat) throws {
        let time = WallTime(seconds: 1_796_350_169, nanoseconds: 5_000_000)
        let sink = RecordingSink()
        let output = BufferedLogOutput(sink: sink, format: format, batchPause: .zero, clock: { time })
        defer { output.shutdown() }
        let logger = Logger(label: "readiness") { BufferedLogHandler(label: $0, output: output, logLevel: .info) }
        let fast = try #require(BufferedAccessLog(logger: logger))
        for entry in Self.entries {
            fast.write(entry, level: .info)
            logger.info("request", metadata: AccessLogMiddleware.metadata(of: entry))
        }
        output.flush()
        let lines = sink.lines
        #expect(lines.count == 2 * Self.entries.count)
        for pair in stride(from: 0, to: lines.count, by: 2) {
            #expect(lines[pair] == lines[pair + 1])
        }
    }

    @Test func isNotTakenForAHandlerWithMetadataOfItsOwn() {
        let output = BufferedLogOutput(sink: RecordingSink(), format: .text, batchPause: .zero)
        defer { output.shutdown() }
        var logger = Logger(label: "readiness") { BufferedLogHandler(label: $0, output: output) }
        #expect(BufferedAccessLog(logger: logger) != nil)
        logger[metadataKey: "replica"] = "a"
        #expect(BufferedAccessLog(logger: logger) == nil)
        #expect(BufferedAccessLog(logger: Logger(label: "other") { StreamLogHandler.standardError(label: $0) }) == nil)
    }
}
