import CProcessShims

/// Nanoseconds on the monotonic clock; cheap enough to read once per event.
///
/// The loop uses raw nanoseconds instead of `ContinuousClock.Instant` because deadlines are
/// compared on every event and stored per connection.
public struct MonotonicTime: Comparable, Sendable {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// `@inlinable`: every layer's hot path reads the clock, and the call goes straight to the
    /// C function instead of through a Swift wrapper in this module (as it did inside Sockets).
    @inlinable
    public static func now() -> MonotonicTime {
        MonotonicTime(nanoseconds: cprocess_monotonic_ns())
    }

    public static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public static func + (lhs: MonotonicTime, rhs: Duration) -> MonotonicTime {
        MonotonicTime(nanoseconds: lhs.nanoseconds &+ rhs.nanosecondsClamped)
    }

    /// Time elapsed since `earlier`, zero if `earlier` is in the future.
    public func duration(since earlier: MonotonicTime) -> Duration {
        nanoseconds > earlier.nanoseconds
            ? .nanoseconds(Int64(clamping: nanoseconds - earlier.nanoseconds)) : .zero
    }
}

extension Duration {
    /// Whole nanoseconds, negative durations as zero.
    public var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (wholeNanos, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max : wholeNanos &+ UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
