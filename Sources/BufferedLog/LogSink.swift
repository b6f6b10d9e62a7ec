import Sockets

/// Receives batches of whole lines from the writer thread; may block (a slow disk, a full
/// pipe) without holding up anyone logging. Throws when the batch could not be written.
public protocol LogSink: Sendable {
    func write(_ batch: [UInt8]) throws
}

extension OutputFile: LogSink {}

extension LogDestination {
    /// Opens the destination; a file that cannot be opened is an error at start, not lost lines.
    public func openSink() throws -> any LogSink {
        switch self {
        case .standardError: OutputFile.standardError()
        case .file(let path): try OutputFile(appendingTo: path)
        }
    }
}
