import BufferedLog
import Foundation
import Logging
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The service's own log through the real server: access lines reach the buffered log's sink as
/// JSON, without the token, and `/metrics` reports the writer's counts.
@Suite struct LogMetricsTests {
    @Test func logLinesWrittenAndDroppedAreOnMetricsAndNoTokenIsLogged() async throws {
        let sink = RecordingSink()
        let output = BufferedLogOutput(sink: sink, format: .json, batchPause: .zero)
        defer { output.shutdown() }
        let logger = Logger(label: "app-tests") { BufferedLogHandler(label: $0, output: output, logLevel: .info) }
        try await LiveService.with(logger: logger) { live in
            let read = try await live.fixtures.token(.read)
            #expect(try await live.client.get("/healthz").status == 200)
            #expect(try await live.client.get("/v1/sites", token: read).status == 200)
            output.flush()
            let logged = sink.lines
            let access = logged.filter { $0.contains(#""message":"request""#) }
            #expect(access.contains { $0.contains(#""path":"/healthz""#) && $0.contains(#""status":"200""#) })
            #expect(access.contains { $0.contains(#""path":"/v1/sites""#) })
            #expect(!logged.contains { $0.contains(read) }, "a token reached the log")
            // Every line is one JSON object with a time and a level (and a label and a message).
            for line in logged {
                let decoded = try? APIBodyDecoder.shared.decode(LogLineBody.self, from: Data(line.utf8))
                #expect(decoded != nil, "\(line)")
            }

            let scraped = try await live.client.get("/metrics", token: read)
            let samples = MetricsTests.samples(scraped.text)
            #expect(scraped.text.contains("# TYPE readiness_log_lines_written_total counter"))
            #expect((samples["readiness_log_lines_written_total"] ?? 0) >= Double(logged.count))
            #expect(samples["readiness_log_lines_dropped_total"] == 0)
        }
    }
}

/// Keeps every line it is given.
final class RecordingSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var received: [UInt8] = []

    func write(_ batch: [UInt8]) throws {
        lock.lock()
        received.append(contentsOf: batch)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
