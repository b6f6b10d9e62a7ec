/// What the log writer did since the process started: lines handed to the sink, and lines lost
/// because the buffer was full (the sink could not keep up) or the sink failed.
public struct LogStatistics: Sendable, Equatable {
    public var written: UInt64
    public var dropped: UInt64

    public init(written: UInt64 = 0, dropped: UInt64 = 0) {
        self.written = written
        self.dropped = dropped
    }
}
