import Foundation
import HTTPServer
import Prometheus

/// Requests by method, route pattern and status, and their durations by method and route.
/// Labelled by the route's pattern, never the path: ids in paths would make a series per site.
final class RequestMetrics: @unchecked Sendable {  // `series` behind `lock`
    private let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    private var series: [RouteKey: RouteSeries] = [:]
    /// The same series by `RequestContext.routeIndex`, for matched routes: indexing an array
    /// costs less than hashing the method and the pattern on every request.
    private var seriesByRoute: [RouteSeries?] = []
    private var refusedRequests: [Int: Counter] = [:]
    private let refusedConnections: Counter
    private let idleConnectionsClosed: Counter

    /// From a quick cached read (~1 ms) to a slow what-if or export; beyond 10 s is +Inf.
    static let buckets: [Duration] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        .map { Duration.microseconds(Int64($0 * 1_000_000)) }
    /// Methods a route can carry; anything else on an unmatched path is labelled `other`, so a
    /// client cannot add series by sending invented methods.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    // Computed: the descriptor type is not Sendable, so it cannot be a stored static.
    private static var durationName: MetricNameDescriptor {
        .named("http_server_request_duration_seconds", help: "Time from a request's head being read to its response being ready.")
    }
    private static var requestsName: MetricNameDescriptor {
        .named("http_server_requests_total", help: "Requests answered, by method, route pattern and status.")
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        refusedConnections = registry.makeCounter(descriptor: .named(
            "http_server_refused_connections_total",
            help: "Connections closed at once: the server's connection limit was reached with no idle connection to close, or it was draining."))
        idleConnectionsClosed = registry.makeCounter(descriptor: .named(
            "http_server_idle_connections_closed_total",
            help: "Idle keep-alive connections closed to admit a new connection at the server's connection limit."))
    }

    func observe(method: HTTPMethod, route: String?, routeIndex: Int? = nil, status: Int, duration: Duration) {
        let (counter, histogram) = lock.withLock { () -> (Counter, DurationHistogram) in
            let entry = series(method: method, route: route, routeIndex: routeIndex)
            return (entry.counter(status, registry: registry), entry.duration)
        }
        counter.increment()
        histogram.record(duration)
    }

    /// The series of a request's method and route; called with `lock` held.
    private func series(method: HTTPMethod, route: String?, routeIndex: Int?) -> RouteSeries {
        // A route's index names its method and pattern, but HEAD is answered by the GET route:
        // the method is compared too (two small strings, no hashing).
        if let routeIndex, route != nil, routeIndex < seriesByRoute.count, let known = seriesByRoute[routeIndex],
           known.key.method == method.rawValue {
            return known
        }
        let name = method.rawValue
        let key = RouteKey(
            method: route != nil || Self.knownMethods.contains(name) ? name : "other", route: route ?? "unmatched")
        let entry: RouteSeries
        if let known = series[key] {
            entry = known
        } else {
            entry = makeSeries(key)
            series[key] = entry
        }
        if let routeIndex, route != nil, method != .head {
            if seriesByRoute.count <= routeIndex { seriesByRoute += Array(repeating: nil, count: routeIndex + 1 - seriesByRoute.count) }
            seriesByRoute[routeIndex] = entry
        }
        return entry
    }

    /// What the HTTP server turned away before routing (`HTTPServerConfiguration.onRefusal`).
    func refused(_ refusal: ServerRefusal) {
        if refusal == .idleConnectionClosed { return idleConnectionsClosed.increment() }
        guard case .answered(let status) = refusal else { return refusedConnections.increment() }
        let counter: Counter = lock.withLock {
            if let counter = refusedRequests[status.code] { return counter }
            let counter = registry.makeCounter(
                descriptor: .named(
                    "http_server_refused_requests_total",
                    help: "Requests the server answered itself and closed (malformed, over a limit, too slow), by status."),
                labels: [("status", String(status.code))])
            refusedRequests[status.code] = counter
            return counter
        }
        counter.increment()
    }

    private func makeSeries(_ key: RouteKey) -> RouteSeries {
        RouteSeries(key: key, duration: registry.makeDurationHistogram(
            descriptor: Self.durationName, labels: key.labels, buckets: Self.buckets))
    }

    private struct RouteKey: Hashable {
        let method: String
        let route: String

        var labels: [(String, String)] { [("method", method), ("route", route)] }
    }

    /// One route's histogram and its counters by status (a handful per route).
    private final class RouteSeries {
        let key: RouteKey
        let duration: DurationHistogram
        var counters: [Int: Counter] = [:]

        init(key: RouteKey, duration: DurationHistogram) {
            self.key = key
            self.duration = duration
        }

        func counter(_ status: Int, registry: PrometheusCollectorRegistry) -> Counter {
            if let counter = counters[status] { return counter }
            let counter = registry.makeCounter(
                descriptor: RequestMetrics.requestsName, labels: key.labels + [("status", String(status))])
            counters[status] = counter
            return counter
        }
    }
}
