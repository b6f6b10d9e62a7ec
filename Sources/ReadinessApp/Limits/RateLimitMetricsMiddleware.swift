import HTTPServer

/// Counts every 429 of a spent budget, whichever route or layer raised it (the budget is named
/// in the answer's `RateLimit-Policy` field).
struct RateLimitMetricsMiddleware: Middleware {
    let metrics: LimitMetrics

    func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {
        guard response.status == .tooManyRequests, let budget = RateLimitedError.budgetName(of: response) else { return }
        metrics.rateLimited(budget: budget, route: context.route)
    }
}
