import Foundation
import Logging

/// Runs ``WebhookHistoryPruner`` from the service: a minute after start, then hourly, deleting
/// what fell due more than `kept` ago. Every replica runs it; the pruner's advisory lock lets
/// one work at a time. A stop ends the wait, or the prune between two batches.
struct WebhookHistorySchedule: Sendable {
    let pruner: WebhookHistoryPruner
    /// How long after its last attempt fell due a finished event is kept.
    let kept: Duration
    let logger: Logger
    var firstRun: Duration = .seconds(60)
    var interval: Duration = .seconds(3600)
    /// "Now" for the boundary: tests set it instead of waiting for a month to pass.
    var clock: @Sendable () -> Date = Date.init
    private let loop = BackgroundLoop()

    func start() {
        loop.startRepeating(after: firstRun, every: interval) { await self.pruneOnce() }
    }

    func stop() async {
        await loop.stop()
    }

    private func pruneOnce() async {
        do {
            let report = try await pruner.prune(lastDueBefore: clock() - kept.timeInterval) { [loop] in !loop.isStopped }
            if report.events > 0 {
                logger.notice("webhooks: delivery history pruned", metadata: [
                    "events": .stringConvertible(report.events), "attempts": .stringConvertible(report.attempts),
                ])
            }
        } catch {
            // The next run tries again (the database away for a moment).
            logger.warning("webhooks: delivery history prune failed", metadata: ["error": "\(error)"])
        }
    }
}
