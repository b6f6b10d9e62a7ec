/// What the reflector did with the datagrams it received; logged at debug, never with contents.
public struct ReflectorCounters: Sendable, Equatable, CustomStringConvertible {
    public var received = 0
    public var answered = 0
    /// Requests whose ANSWER-AFTER was scheduled.
    public var scheduled = 0
    /// Delayed answers sent (each scheduled request sends `delayedAnswerCount`).
    public var delayedSent = 0
    public var droppedRateLimited = 0
    public var droppedSourceTableFull = 0
    public var droppedMalformed = 0
    /// Well-formed STUN that is not a Binding request (responses, indications).
    public var droppedNotRequest = 0
    /// Requests whose answers would have been larger than the request.
    public var droppedAmplification = 0
    public var droppedPendingLimit = 0
    /// Datagrams the kernel would not take (socket buffer full).
    public var sendFailures = 0

    public init() {}

    public var description: String {
        "received=\(received) answered=\(answered) scheduled=\(scheduled) delayed_sent=\(delayedSent) "
            + "rate_limited=\(droppedRateLimited) table_full=\(droppedSourceTableFull) malformed=\(droppedMalformed) "
            + "not_request=\(droppedNotRequest) amplification=\(droppedAmplification) pending_limit=\(droppedPendingLimit) "
            + "send_failures=\(sendFailures)"
    }
}
