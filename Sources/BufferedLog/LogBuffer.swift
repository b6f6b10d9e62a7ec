import Foundation

/// The lines waiting for the writer thread, bounded in bytes. Loggers append and never wait
/// for the sink: when the buffer is full the line is dropped and counted, so a slow disk or a
/// stalled pipe costs log lines, never request latency.
///
/// `@unchecked Sendable`: every stored property is read and written with `condition` locked.
final class LogBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var pending: [UInt8] = []
    private var pendingLines = 0
    private var batchInFlight = false
    /// The writer waits for a first line: the only time an append must wake it.
    private var writerIdle = false
    private var flushWaiters = 0
    private var closed = false
    private var counts = LogStatistics()

    init(capacity: Int) {
        self.capacity = capacity
    }

    var statistics: LogStatistics {
        condition.lock()
        defer { condition.unlock() }
        return counts
    }

    /// Appends one whole line, or drops it (counted) when it does not fit or the log is closed.
    func append(_ line: [UInt8]) {
        line.withUnsafeBytes { append($0) }
    }

    /// The same, from memory the caller owns (copied before returning).
    func append(_ line: UnsafeRawBufferPointer) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, pending.count + line.count <= capacity else {
            counts.dropped += 1
            return
        }
        let belowHalf = pending.count < capacity / 2
        pending.append(contentsOf: line)
        pendingLines += 1
        // Woken at the first line and when half full (cutting its batching pause short); every
        // other append takes the lock and nothing more.
        if writerIdle || (belowHalf && pending.count >= capacity / 2) { condition.broadcast() }
    }

    /// For the writer: blocks until there is something to write, lets a batch gather for up to
    /// `pause` (unless someone flushes, closes or the buffer fills to half), then hands over all
    /// pending lines by swapping `batch` (emptied, capacity kept) with the buffer. Returns the
    /// number of lines, or nil once closed and drained.
    func takeBatch(into batch: inout [UInt8], pause: Duration) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty {
            if closed { return nil }
            writerIdle = true
            condition.wait()
            writerIdle = false
        }
        if pause > .zero {
            let deadline = Date(timeIntervalSinceNow: pause.seconds)
            while !closed, flushWaiters == 0, pending.count < capacity / 2 {
                if !condition.wait(until: deadline) { break }
            }
        }
        batch.removeAll(keepingCapacity: true)
        swap(&batch, &pending)
        let lines = pendingLines
        pendingLines = 0
        batchInFlight = true
        return lines
    }

    /// For the writer: the batch taken last is done, written or (`succeeded` false) lost.
    func finishBatch(lines: Int, succeeded: Bool) {
        condition.lock()
        defer { condition.unlock() }
        if succeeded { counts.written += UInt64(lines) } else { counts.dropped += UInt64(lines) }
        batchInFlight = false
        if flushWaiters > 0 { condition.broadcast() }
    }

    /// Blocks until every line appended before the call has been handed to the sink.
    func flush() {
        condition.lock()
        defer { condition.unlock() }
        flushWaiters += 1
        condition.broadcast()
        while !pending.isEmpty || batchInFlight {
            condition.wait()
        }
        flushWaiters -= 1
    }

    /// Refuses further lines; the writer drains what is pending, then stops. True the first time.
    func close() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if closed { return false }
        closed = true
        condition.broadcast()
        return true
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
