/// The reflector's bounds: what one source may cost, and what all of them together may.
public struct ReflectorLimits: Sendable, Equatable {
    /// Token-bucket refill per source, in packets per second. 400/s is twice what one agent's
    /// densest series needs (1000 latency samples 5 ms apart = 200/s).
    public var packetsPerSecond: Double = 400
    /// Bucket size: a source that was quiet may send this many packets at once.
    public var burst: Double = 800
    /// The longest ANSWER-AFTER honoured, in milliseconds (1 hour: above the 30-minute floor of
    /// the idle-timeout rule, with room for sites whose longest call is longer).
    public var maxAnswerAfterMilliseconds: UInt32 = 3_600_000
    /// Delayed answers one source may have waiting: an agent probes a handful of idle gaps at
    /// once, each from its own port.
    public var maxPendingPerSource = 64
    /// Delayed answers waiting in total.
    public var maxPendingTotal = 10_000
    /// Sources whose buckets are tracked; when full, idle sources are forgotten first and new
    /// sources are dropped until some are.
    public var maxSources = 10_000
    /// How many delayed answers follow the acknowledgement, and how far apart: two, 100 ms
    /// apart, so one lost datagram does not read as an expired binding.
    public var delayedAnswerCount = 2
    public var delayedAnswerSpacing: Duration = .milliseconds(100)

    public init() {}
}
