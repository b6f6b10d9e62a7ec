import Prometheus

/// Group commit as the commit lanes see it: how large groups are, how long their transactions
/// take, what became of each result, and groups that failed whole.
final class IngestMetrics: Sendable {
    private let groups: Counter
    private let failedGroups: Counter
    private let uploadsPerGroup: ValueHistogram
    private let groupDuration: DurationHistogram
    private let created: Counter
    private let duplicates: Counter
    private let refusedUploads: Counter
    private let queued: Gauge
    private let abandoned: Counter

    init(registry: PrometheusCollectorRegistry) {
        groups = registry.makeCounter(descriptor: .named("readiness_ingest_groups_total", help: "Commit groups written."))
        failedGroups = registry.makeCounter(descriptor: .named(
            "readiness_ingest_group_failures_total",
            help: "Commit groups that failed whole (database unavailable, connection lost); each of their uploads got an error."))
        uploadsPerGroup = registry.makeValueHistogram(
            descriptor: .named("readiness_ingest_group_uploads", help: "Uploads committed together in one transaction."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000])
        groupDuration = registry.makeDurationHistogram(
            descriptor: .named("readiness_ingest_group_seconds", help: "One group's transaction, from BEGIN to its durable COMMIT."),
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1].map { .microseconds(Int64($0 * 1_000_000)) })
        let results = MetricNameDescriptor.named(
            "readiness_ingest_results_total",
            help: "Results uploaded: stored now (created), or a replay of one stored before (duplicate).")
        created = registry.makeCounter(descriptor: results, labels: [("outcome", "created")])
        duplicates = registry.makeCounter(descriptor: results, labels: [("outcome", "duplicate")])
        refusedUploads = registry.makeCounter(descriptor: .named(
            "readiness_ingest_refused_uploads_total",
            help: "Uploads the writer refused on their own (a run_id stored with other content, an archived site)."))
        abandoned = registry.makeCounter(descriptor: .named(
            "readiness_ingest_abandoned_uploads_total",
            help: "Uploads dropped from the queue unwritten: their request's deadline passed (the client got 503) before their group began."))
        queued = registry.makeGauge(descriptor: .named(
            "readiness_ingest_queued_uploads", help: "Uploads waiting for the next commit group, over every lane."))
    }

    /// `count` uploads joined a lane's queue (negative: left it, as a group or failed).
    func queueChanged(by count: Int) {
        if count > 0 { queued.increment(by: Double(count)) } else if count < 0 { queued.decrement(by: Double(-count)) }
    }

    /// `count` queued uploads were dropped because their request's deadline passed.
    func recordAbandoned(_ count: Int) {
        if count > 0 { abandoned.increment(by: Int64(count)) }
    }

    func recordCommitted(_ replies: [GroupCommitWriter.Reply], duration: Duration) {
        groups.increment()
        uploadsPerGroup.record(Double(replies.count))
        groupDuration.record(duration)
        var createdCount = 0, duplicateCount = 0, refusedCount = 0
        for reply in replies {
            switch reply {
            case .success(let outcomes):
                for outcome in outcomes {
                    if outcome.status == .created { createdCount += 1 } else { duplicateCount += 1 }
                }
            case .failure:
                refusedCount += 1
            }
        }
        if createdCount > 0 { created.increment(by: Int64(createdCount)) }
        if duplicateCount > 0 { duplicates.increment(by: Int64(duplicateCount)) }
        if refusedCount > 0 { refusedUploads.increment(by: Int64(refusedCount)) }
    }

    func recordFailed() {
        failedGroups.increment()
    }
}
