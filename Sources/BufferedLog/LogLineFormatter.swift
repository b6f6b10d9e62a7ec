import Logging

/// Turns one log event into one line of bytes, newline included, in the chosen format. Runs on
/// the thread that logs, so it does only cheap work: no `Date`, no `JSONEncoder`, one buffer.
///
/// Whatever the values hold, a line stays one line: control characters are escaped in both
/// formats, so a client-chosen value (a path, a request id) cannot forge a log line.
public struct LogLineFormatter: Sendable {
    public let format: LogFormat

    public init(format: LogFormat) {
        self.format = format
    }

    public func line(
        time: WallTime, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        switch format {
        case .text: appendText(time: time, level: level, label: label, message: message, metadata: metadata, to: &buffer)
        case .json: appendJSON(time: time, level: level, label: label, message: message, metadata: metadata, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
        return buffer
    }

    /// Calls `body` with each entry in key order: the same event always gives the same line
    /// (the dictionary's own order changes from process to process). The order is kept in a
    /// stack buffer of indices, not a sorted array of copied entries: this runs for every
    /// request, and the copies (retains, a heap array) were most of the sort's cost.
    static func forEachSorted(_ metadata: Logger.Metadata, _ body: (String, Logger.Metadata.Value) -> Void) {
        let count = metadata.count
        guard count > 1 else {
            for (key, value) in metadata { body(key, value) }
            return
        }
        withUnsafeTemporaryAllocation(of: Logger.Metadata.Index.self, capacity: count) { order in
            var filled = 0
            var index = metadata.startIndex
            while index != metadata.endIndex {
                order.initializeElement(at: filled, to: index)
                filled += 1
                metadata.formIndex(after: &index)
            }
            // Insertion sort: a handful of keys.
            for next in 1..<filled {
                let moving = order[next]
                let key = metadata.keys[moving]
                var slot = next
                while slot > 0, key < metadata.keys[order[slot - 1]] {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = moving
            }
            for position in 0..<filled {
                let entry = metadata[order[position]]
                body(entry.key, entry.value)
            }
            _ = order.deinitialize()
        }
    }
}

extension Logger.Level {
    /// The level's name as bytes, without building a `String`.
    var name: StaticString {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }
}


