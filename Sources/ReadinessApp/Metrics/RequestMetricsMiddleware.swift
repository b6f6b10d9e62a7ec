import HTTPServer
import SystemClock

/// Feeds ``RequestMetrics`` from every response that went through the routes (the HTTP layer's
/// own refusals before routing, such as 400 for a malformed head or 413, reach it through
/// ``RequestMetrics/refused(_:)`` instead).
struct RequestMetricsMiddleware: Middleware {
    let metrics: RequestMetrics

    func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {
        metrics.observe(
            method: request.method, route: context.route, routeIndex: context.routeIndex, status: response.status.code,
            duration: MonotonicTime.now().duration(since: context.startTime))
    }
}
