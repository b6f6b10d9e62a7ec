import Foundation
import Logging
import Postgres

/// Runs ``ResultPruner`` from the service: a minute after start, then hourly. Every replica
/// runs it; the pruner's advisory lock lets one work at a time and the others skip, so no
/// replica has to be singled out. A stop ends the wait, or the prune between two of its steps.
final class RetentionSchedule: Sendable {
    private let pruner: ResultPruner
    private let period: RetentionPeriod
    private let metrics: RetentionMetrics
    private let firstRun: Duration
    private let interval: Duration
    private let clock: @Sendable () -> Date
    private let loop = BackgroundLoop()

    init(pruner: ResultPruner, period: RetentionPeriod, metrics: RetentionMetrics, firstRun: Duration = .seconds(60),
         interval: Duration = .seconds(3600), clock: @escaping @Sendable () -> Date = Date.init) {
        self.pruner = pruner
        self.period = period
        self.metrics = metrics
        self.firstRun = firstRun
        self.interval = interval
        self.clock = clock
    }

    func start() {
        loop.startRepeating(after: firstRun, every: interval) { await self.pruneOnce() }
    }

    /// Ends the schedule and waits for a prune under way to stop at its next step.
    func stop() async {
        await loop.stop()
    }

    private var isStopped: Bool { loop.isStopped }

    private func pruneOnce() async {
        let boundary = period.pruneBoundary(now: clock())
        do {
            let report = try await pruner.prune(before: boundary) { [weak self] in !(self?.isStopped ?? true) }
            metrics.recordRun(report, at: clock())
            if !report.skipped, !report.partitions.isEmpty || report.claims > 0 {
                pruner.logger.notice("retention: pruned results", metadata: [
                    "before": .string(boundary.description), "partitions": .stringConvertible(report.partitions.count),
                    "claims": .stringConvertible(report.claims),
                ])
            }
        } catch {
            // The next run tries again (a lock timeout, the database away for a moment).
            metrics.recordFailure()
            pruner.logger.warning("retention: prune failed", metadata: ["error": "\(error)"])
        }
    }
}
