import Foundation

/// When a failed attempt is tried again: exponential backoff with full jitter (the wait is
/// uniform between zero and the ceiling, so receivers that come back are not hit by every
/// sender at once: "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
///
/// With the defaults the ceiling after the n-th failed attempt is 30 s × 2^(n-1), capped at
/// one hour: 30 s, 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, then 1 h for every attempt
/// after the 7th, until 24 hours have passed since the event was created; an attempt that
/// would fall after that is not made and the event fails. A `Retry-After` from the receiver
/// (429, 503) replaces the jittered wait, as long as it ends inside those 24 hours.
public struct RetrySchedule: Sendable {
    public var firstCeiling: Duration = .seconds(30)
    public var maximumCeiling: Duration = .seconds(3600)
    public var giveUpAfter: Duration = .seconds(24 * 3600)
    /// A uniform draw from 0...ceiling seconds; injected by tests that want the ceiling itself.
    public var jitter: @Sendable (Double) -> Double = { Double.random(in: 0...$0) }

    public init() {}

    /// The ceiling of the wait after `failedAttempts` attempts (1 for the first).
    func ceiling(afterFailedAttempts failedAttempts: Int) -> Double {
        let first = firstCeiling.timeInterval
        let exponent = min(max(failedAttempts - 1, 0), 40)
        return min(first * pow(2, Double(exponent)), maximumCeiling.timeInterval)
    }

    /// When to try again, or nil when the event has run out of time.
    func nextAttempt(afterFailedAttempts failedAttempts: Int, retryAfter: TimeInterval?, now: Date, createdAt: Date) -> Date? {
        let wait = retryAfter ?? jitter(ceiling(afterFailedAttempts: failedAttempts))
        let next = now.addingTimeInterval(max(wait, 0))
        return next.timeIntervalSince(createdAt) <= giveUpAfter.timeInterval ? next : nil
    }
}

extension Duration {
    /// Seconds as a floating-point number.
    var timeInterval: TimeInterval {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
