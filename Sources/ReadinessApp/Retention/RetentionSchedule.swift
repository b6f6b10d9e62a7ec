import Foundation
import Logging
import Postgres

/// Runs ``ResultPruner`` from the service: a minute after start, then hourly. Every replica
/// runs it; the pruner's advisory lock lets one work at a time and the others skip, so no
/// replica has to be singled out. A stop ends the wait, or the prune between two of its steps.
final class RetentionSchedule: @unchecked Sendable {  // `task` and `stopped` behind `lock`
    private let pruner: ResultPruner
    private let period: RetentionPeriod
    private let metrics: RetentionMetrics
    private let firstRun: Duration
    private let interval: Duration
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var stopped = false

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
        lock.withLock {
            guard task == nil, !stopped else { return }
            task = Task { await self.run() }
        }
    }

    /// Ends the schedule and waits for a prune under way to stop at its next step.
    func stop() async {
        let running: Task<Void, Never>? = lock.withLock {
            stopped = true
            return task
        }
        running?.cancel()
        await running?.value
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func run() async {
        var wait = firstRun
        while true {
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
            wait = interval
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
}
