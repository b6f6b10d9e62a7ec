import Foundation

/// A wall clock ("now" for `ReadinessService.make(clock:)`) that moves only when the test moves
/// it, so a test about a time window neither sleeps nor fails when a loaded machine (the suite
/// runs in parallel on two cores) stretches the time between two requests.
public final class ManualDateClock: @unchecked Sendable {  // `time` behind `lock`
    private let lock = NSLock()
    private var time: Date

    public init(_ start: Date = Date()) { time = start }

    public func advance(by seconds: TimeInterval) { lock.withLock { time += seconds } }

    public var now: Date { lock.withLock { time } }

    /// For `clock:` parameters.
    public var function: @Sendable () -> Date { { self.now } }
}
