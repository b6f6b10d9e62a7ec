import Foundation
import Prometheus

/// Requests refused for a spent budget, by budget and route pattern (bounded label values).
final class LimitMetrics: @unchecked Sendable {  // `counters` behind `lock`
    private let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    private var counters: [[String]: Counter] = [:]

    // Computed: the descriptor type is not Sendable, so it cannot be a stored static.
    private static var name: MetricNameDescriptor {
        .named("readiness_rate_limited_requests_total",
               help: "Requests answered 429 because a budget was spent: results per agent, requests per token.")
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func rateLimited(budget: String, route: String?) {
        let labels = [budget, route ?? "unmatched"]
        let counter = lock.withLock {
            if let counter = counters[labels] { return counter }
            let counter = registry.makeCounter(descriptor: Self.name, labels: [("budget", labels[0]), ("route", labels[1])])
            counters[labels] = counter
            return counter
        }
        counter.increment()
    }
}
