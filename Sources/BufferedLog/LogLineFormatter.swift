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

    /// Keys in order: the same event always gives the same line (the dictionary's own order
    /// changes from process to process).
    static func sorted(_ metadata: Logger.Metadata) -> [(key: String, value: Logger.Metadata.Value)] {
        metadata.sorted { $0.key < $1.key }
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

extension Array where Element == UInt8 {
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}
