import Foundation
import Prometheus

/// Deliveries this replica attempted, by outcome and format (`readiness_webhook_deliveries_total`).
/// The outbox's depth and age are the fleet's, read at scrape time (``WebhookOutboxFigures``).
final class WebhookMetrics: Sendable {
    private let counters: [String: Counter]

    init(registry: PrometheusCollectorRegistry) {
        let descriptor = MetricNameDescriptor.named(
            "readiness_webhook_deliveries_total",
            help: "Webhook attempts by outcome (delivered, retry, failed, disabled, skipped) and format (standard, pagerduty).")
        var counters: [String: Counter] = [:]
        for outcome in ["delivered", "retry", "failed", "disabled", "skipped"] {
            for format in ["standard", "pagerduty"] {
                counters["\(outcome)/\(format)"] = registry.makeCounter(descriptor: descriptor, labels: [("outcome", outcome), ("format", format)])
            }
        }
        self.counters = counters
    }

    func count(outcome: String, format: WebhookFormat) {
        counters["\(outcome)/\(format.rawValue)"]?.increment()
    }
}
