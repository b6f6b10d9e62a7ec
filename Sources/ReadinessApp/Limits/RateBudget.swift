import Foundation

/// A token bucket: `capacity` units, refilled at `perSecond`. Results per agent, requests per
/// token (``RequestLimits``). Kept in PostgreSQL (`rate_budgets`, ``RateBudgetStatement``) so
/// every replica spends from the same budget.
struct RateBudget: Sendable, Equatable {
    /// The budget's name in the `RateLimit` and `RateLimit-Policy` fields, and the metric's
    /// `budget` label.
    let name: String
    let perSecond: Double
    let capacity: Double

    /// The bucket's size as time: how long an empty budget takes to fill.
    var toleranceSeconds: Double { capacity / perSecond }

    /// Seconds of budget that `units` cost. More than the whole budget costs the whole budget:
    /// a full bucket always admits one request, however large.
    func costSeconds(_ units: Int) -> Double { min(Double(units), capacity) / perSecond }

    /// `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers-09 §4): `capacity` units per
    /// window of `toleranceSeconds`.
    var policyField: String {
        "\"\(name)\";q=\(Int(capacity.rounded(.down)));w=\(Int(toleranceSeconds.rounded(.up)))"
    }

    /// `RateLimit` (same draft, §3): the units left and the seconds until the request can be
    /// sent again.
    func field(remaining: Int, resetSeconds: Int) -> String {
        "\"\(name)\";r=\(max(0, remaining));t=\(max(0, resetSeconds))"
    }
}

/// What a check of one key found: allowed (with the units left) or not (and when it will be).
enum RateDecision: Sendable, Equatable {
    case allowed(remaining: Int)
    case denied(retryAfterSeconds: Int)
}
