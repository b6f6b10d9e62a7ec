import Sockets
import SystemClock

/// A token bucket (RFC 2697's single-rate shape): `rate` tokens a second up to `capacity`.
struct TokenBucket {
    private(set) var tokens: Double
    private(set) var updated: MonotonicTime

    init(capacity: Double, now: MonotonicTime) {
        tokens = capacity
        updated = now
    }

    /// Refills for the time since the last call, then takes one token if there is one.
    mutating func take(rate: Double, capacity: Double, now: MonotonicTime) -> Bool {
        refill(rate: rate, capacity: capacity, now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// True when the bucket would be full at `now`: forgetting it changes nothing.
    func isFull(rate: Double, capacity: Double, now: MonotonicTime) -> Bool {
        tokens + Self.seconds(now.duration(since: updated)) * rate >= capacity
    }

    private mutating func refill(rate: Double, capacity: Double, now: MonotonicTime) {
        tokens = min(capacity, tokens + Self.seconds(now.duration(since: updated)) * rate)
        updated = max(updated, now)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
