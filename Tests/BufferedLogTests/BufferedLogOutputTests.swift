import Foundation
import Logging
import Testing
@testable import BufferedLog
import Sockets

@Suite struct BufferedLogOutputTests {
    static let epoch: @Sendable () -> WallTime = { WallTime(seconds: 0) }

    @Test func writesLinesToAFileAppendingToWhatIsThere() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("earlier\n".utf8).write(to: URL(fileURLWithPath: path))
        let output = BufferedLogOutput(
            sink: try OutputFile(appendingTo: path), format: .text, batchPause: .zero, clock: Self.epoch)
        output.write(level: .info, label: "t", message: "first", metadata: ["k": "v"])
        output.write(level: .notice, label: "t", message: "second", metadata: [:])
        output.shutdown()
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents == """
            earlier
            1970-01-01T00:00:00.000Z info t: first k=v
            1970-01-01T00:00:00.000Z notice t: second

            """)
        #expect(output.statistics == LogStatistics(written: 2, dropped: 0))
    }

    /// The sink is held in its first write; the buffer then takes what fits and drops the rest,
    /// counting them, without the logging thread ever waiting.
    @Test func fullBufferDropsAndCountsLinesWhileTheSinkIsBlocked() throws {
        let sink = BlockingSink()
        let lineLength = LogLineFormatter(format: .text)
            .line(time: Self.epoch(), level: .info, label: "t", message: "line", metadata: [:]).count
        let output = BufferedLogOutput(
            sink: sink, format: .text, capacity: lineLength * 3 + lineLength / 2, batchPause: .zero, clock: Self.epoch)
        output.write(level: .info, label: "t", message: "line", metadata: [:])
        sink.entered.wait()  // the writer holds line 1 and is stuck in the sink
        for _ in 0..<10 { output.write(level: .info, label: "t", message: "line", metadata: [:]) }
        #expect(output.statistics == LogStatistics(written: 0, dropped: 7))
        sink.release()
        output.flush()
        #expect(output.statistics == LogStatistics(written: 4, dropped: 7))
        #expect(sink.lines == 4)
        output.shutdown()
    }

    @Test func failedWritesCountAsDropped() {
        let output = BufferedLogOutput(sink: FailingSink(), format: .json, batchPause: .zero, clock: Self.epoch)
        output.write(level: .error, label: "t", message: "lost", metadata: [:])
        output.flush()
        #expect(output.statistics == LogStatistics(written: 0, dropped: 1))
        output.shutdown()
    }

    @Test func shutdownWritesWhatIsBufferedThenDropsLaterLines() {
        let sink = BlockingSink(blocks: false)
        let output = BufferedLogOutput(sink: sink, format: .text, clock: Self.epoch)  // the default batching pause
        for index in 0..<100 { output.write(level: .info, label: "t", message: "line \(index)", metadata: [:]) }
        output.shutdown()
        #expect(sink.lines == 100)
        output.write(level: .info, label: "t", message: "too late", metadata: [:])
        #expect(output.statistics == LogStatistics(written: 100, dropped: 1))
    }

    @Test func handlerFiltersByLevelAndMergesMetadata() {
        let sink = BlockingSink(blocks: false)
        let output = BufferedLogOutput(sink: sink, format: .text, batchPause: .zero, clock: Self.epoch)
        var logger = Logger(label: "app") { BufferedLogHandler(label: $0, output: output, logLevel: .notice) }
        logger[metadataKey: "replica"] = "a"
        logger.info("filtered out")
        logger.notice("kept", metadata: ["replica": "b", "k": "1"])
        output.shutdown()
        #expect(sink.text == "1970-01-01T00:00:00.000Z notice app: kept k=1 replica=b\n")
    }
}

/// A sink that (unless told otherwise) holds its first write until released; it records lines.
final class BlockingSink: LogSink, @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var blocks: Bool
    private var received: [UInt8] = []

    init(blocks: Bool = true) {
        self.blocks = blocks
    }

    func write(_ batch: [UInt8]) throws {
        lock.lock()
        let wait = blocks
        blocks = false
        lock.unlock()
        if wait {
            entered.signal()
            gate.wait()
        }
        lock.lock()
        received.append(contentsOf: batch)
        lock.unlock()
    }

    func release() { gate.signal() }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: received, as: UTF8.self)
    }

    var lines: Int { text.filter { $0 == "\n" }.count }
}

struct FailingSink: LogSink {
    struct Failure: Error {}
    func write(_ batch: [UInt8]) throws { throw Failure() }
}
