import Foundation

/// Rate limits and the request deadline (`READINESS_RATE_*`, `READINESS_REQUEST_DEADLINE_S`).
public struct RequestLimits: Sendable, Equatable {
    /// Results an agent may upload per plan interval on average (`READINESS_RATE_UPLOADS_PER_INTERVAL`):
    /// twelve times what its plan asks for, so reruns and manual runs never hit it.
    public var uploadsPerInterval: Int = 12
    /// How much unused upload budget accumulates (`READINESS_RATE_UPLOAD_BACKLOG_S`): a day, so
    /// an agent's spool after a day-long outage is accepted in one batch.
    public var uploadBacklog: Int = 86_400
    /// Requests a second per token, sustained (`READINESS_RATE_REQUESTS_PER_S`); 0 turns the
    /// request budget off.
    public var requestsPerSecond: Int = 20
    /// Requests a token may send at once after a quiet spell (`READINESS_RATE_REQUEST_BURST`).
    public var requestBurst: Int = 600
    /// Every async request's deadline (`READINESS_REQUEST_DEADLINE_S`); well under the 30 s or
    /// more common HTTP clients wait, so a client hears 503 instead of timing out. Also the
    /// database connections' statement_timeout and idle_in_transaction_session_timeout.
    public var requestDeadline: Duration = .seconds(10)

    public init() {}

    /// The per-agent result budget of an agent whose plan runs every `intervalS` seconds.
    func resultBudget(intervalS: Int) -> RateBudget {
        RateBudget(name: "results", perSecond: Double(uploadsPerInterval) / Double(max(1, intervalS)),
                   capacity: Double(uploadsPerInterval) * Double(uploadBacklog) / Double(max(1, intervalS)))
    }

    var requestBudget: RateBudget? {
        guard requestsPerSecond > 0 else { return nil }
        return RateBudget(name: "requests", perSecond: Double(requestsPerSecond), capacity: Double(max(1, requestBurst)))
    }
}

extension AppConfiguration {

    static func requestLimits(_ environment: [String: String]) throws -> RequestLimits {
        var limits = RequestLimits()
        if let value = environment["READINESS_RATE_UPLOADS_PER_INTERVAL"] {
            limits.uploadsPerInterval = try integer(value, "READINESS_RATE_UPLOADS_PER_INTERVAL", in: 1...100_000)
        }
        if let value = environment["READINESS_RATE_UPLOAD_BACKLOG_S"] {
            limits.uploadBacklog = try integer(value, "READINESS_RATE_UPLOAD_BACKLOG_S", in: 60...31 * 86_400)
        }
        if let value = environment["READINESS_RATE_REQUESTS_PER_S"] {
            limits.requestsPerSecond = try integer(value, "READINESS_RATE_REQUESTS_PER_S", in: 0...1_000_000)
        }
        if let value = environment["READINESS_RATE_REQUEST_BURST"] {
            limits.requestBurst = try integer(value, "READINESS_RATE_REQUEST_BURST", in: 1...10_000_000)
        }
        if let value = environment["READINESS_REQUEST_DEADLINE_S"] {
            limits.requestDeadline = .seconds(try integer(value, "READINESS_REQUEST_DEADLINE_S", in: 1...3600))
        }
        return limits
    }
}
