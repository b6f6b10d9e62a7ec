import HTTPServer

/// The 429 of a spent budget: Retry-After (RFC 9110 §10.2.3) for every client, and the
/// `RateLimit` / `RateLimit-Policy` fields (draft-ietf-httpapi-ratelimit-headers) for clients
/// that pace themselves. ``RateLimitMetricsMiddleware`` counts it by the policy's name.
enum RateLimitedError {
    static func make(_ budget: RateBudget, retryAfterSeconds: Int, detail: String) -> HTTPError {
        HTTPError(
            status: .tooManyRequests, detail: detail, problem: ProblemTypes.rateLimited,
            headers: [
                "Retry-After": String(retryAfterSeconds),
                "RateLimit-Policy": budget.policyField,
                "RateLimit": budget.field(remaining: 0, resetSeconds: retryAfterSeconds),
            ])
    }

    /// The budget a 429 names in its `RateLimit-Policy` field (`"results";q=…`), for the metric.
    static func budgetName(of response: HTTPResponse) -> String? {
        guard response.status == .tooManyRequests, let policy = response.headers["ratelimit-policy"],
              policy.first == "\"", let end = policy.dropFirst().firstIndex(of: "\"")
        else { return nil }
        return String(policy[policy.index(after: policy.startIndex)..<end])
    }
}
