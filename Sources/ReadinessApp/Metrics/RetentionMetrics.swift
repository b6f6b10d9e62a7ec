import Foundation
import Prometheus

/// The scheduled retention prune as this replica ran it: alert on failures, or on a last
/// success that grows old (the replicas' newest is the fleet's).
final class RetentionMetrics: Sendable {
    private let pruned: Counter
    private let skipped: Counter
    private let failed: Counter
    private let partitions: Counter
    private let claims: Counter
    private let lastSuccess: Gauge

    init(registry: PrometheusCollectorRegistry) {
        let runs = MetricNameDescriptor.named(
            "readiness_retention_runs_total",
            help: "Scheduled prunes: done (pruned), left to another replica holding the lock (skipped), or failed.")
        pruned = registry.makeCounter(descriptor: runs, labels: [("outcome", "pruned")])
        skipped = registry.makeCounter(descriptor: runs, labels: [("outcome", "skipped")])
        failed = registry.makeCounter(descriptor: runs, labels: [("outcome", "failed")])
        partitions = registry.makeCounter(descriptor: .named(
            "readiness_retention_dropped_partitions_total", help: "Monthly partitions of results dropped."))
        claims = registry.makeCounter(descriptor: .named(
            "readiness_retention_deleted_claims_total", help: "run_id claims deleted with their results."))
        lastSuccess = registry.makeGauge(descriptor: .named(
            "readiness_retention_last_success_timestamp_seconds", help: "When this replica last finished a prune, since the epoch."))
    }

    func recordRun(_ report: ResultPruner.Report, at time: Date) {
        if report.skipped { return skipped.increment() }
        pruned.increment()
        if !report.partitions.isEmpty { partitions.increment(by: Int64(report.partitions.count)) }
        if report.claims > 0 { claims.increment(by: Int64(report.claims)) }
        lastSuccess.set(time.timeIntervalSince1970)
    }

    func recordFailure() {
        failed.increment()
    }
}
