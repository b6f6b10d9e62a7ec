import Foundation
import Logging

/// The process's log: lines are formatted on the thread that logs, appended to a bounded
/// in-memory buffer, and written in batches to the sink by a thread of its own, so logging
/// never waits for a disk or a pipe (an event loop thread that blocked in `write(2)` per request
/// would stall every connection it serves). When the sink cannot keep up, the buffer fills and
/// further lines are dropped and counted (``statistics``), never queued without bound.
///
/// Lines still buffered are lost if the process dies without ``shutdown()`` (a crash, SIGKILL).
public final class BufferedLogOutput: Sendable {
    /// 4 MiB: about 20,000 access-log lines, several seconds of a busy replica's log while the
    /// disk stalls, and a small part of the process's memory.
    public static let defaultCapacity = 4 << 20
    /// How long the writer lets lines gather before a write: at most ~200 write calls a second
    /// however busy, instead of one per line (nginx's default access log pays one per request).
    public static let defaultBatchPause: Duration = .milliseconds(5)

    public let formatter: LogLineFormatter
    private let clock: @Sendable () -> WallTime
    private let buffer: LogBuffer
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the writer thread. `clock` is injectable so tests can state whole lines.
    public init(
        sink: any LogSink, format: LogFormat, capacity: Int = defaultCapacity,
        batchPause: Duration = defaultBatchPause, clock: @escaping @Sendable () -> WallTime = WallTime.now
    ) {
        formatter = LogLineFormatter(format: format)
        self.clock = clock
        let buffer = LogBuffer(capacity: capacity)
        self.buffer = buffer
        let stopped = stopped
        let thread = Thread {
            var batch: [UInt8] = []
            while let lines = buffer.takeBatch(into: &batch, pause: batchPause) {
                let succeeded = (try? sink.write(batch)) != nil
                buffer.finishBatch(lines: lines, succeeded: succeeded)
            }
            stopped.signal()
        }
        thread.name = "readiness-log-writer"
        thread.start()
    }

    /// Opens the settings' destination (throwing if a file cannot be opened) in their format.
    public convenience init(settings: LogSettings) throws {
        self.init(sink: try settings.destination.openSink(), format: settings.format)
    }

    /// Formats and buffers one line (or drops it, counted, when the buffer is full).
    public func write(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) {
        buffer.append(formatter.line(time: clock(), level: level, label: label, message: message, metadata: metadata))
    }

    /// Formats and buffers one line whose metadata is `fields` in key order (``LogField``).
    public func write(level: Logger.Level, label: String, message: String, orderedFields fields: [LogField]) {
        formatter.withLine(time: clock(), level: level, label: label, message: message, orderedFields: fields) { line in
            buffer.append(line)
        }
    }

    /// Lines written and dropped so far, for `/metrics`.
    public var statistics: LogStatistics { buffer.statistics }

    /// Blocks until every line logged before the call is with the sink.
    public func flush() {
        buffer.flush()
    }

    /// Writes what is buffered, then stops the writer thread; later lines are dropped (counted).
    /// Call once the last line that matters is logged (the end of `main`).
    public func shutdown() {
        if buffer.close() { stopped.wait() }
    }

    /// Makes every `Logger` in the process write here at `level`.
    public func bootstrapLoggingSystem(level: Logger.Level) {
        LoggingSystem.bootstrap { [self] label in
            BufferedLogHandler(label: label, output: self, logLevel: level)
        }
    }
}
