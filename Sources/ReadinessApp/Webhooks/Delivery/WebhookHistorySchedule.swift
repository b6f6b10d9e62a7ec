import Foundation
import Logging

/// Runs ``WebhookHistoryPruner`` from the service: a minute after start, then hourly, deleting
/// what fell due more than `kept` ago. Every replica runs it; the pruner's advisory lock lets
/// one work at a time. A stop ends the wait, or the prune between two batches.
final class WebhookHistorySchedule: Sendable {
    private let pruner: WebhookHistoryPruner
    private let kept: Duration
    private let logger: Logger
    private let firstRun: Duration
    private let interval: Duration
    private let clock: @Sendable () -> Date
    private let loop = BackgroundLoop()

    init(pruner: WebhookHistoryPruner, kept: Duration, logger: Logger, firstRun: Duration = .seconds(60),
         interval: Duration = .seconds(3600), clock: @escaping @Sendable () -> Date = Date.init) {
        self.pruner = pruner
        self.kept = kept
        self.logger = logger
        self.firstRun = firstRun
        self.interval = interval
        self.clock = clock
    }

    func start() {
        loop.start { await self.run() }
    }

    func stop() async {
        await loop.stop()
    }

    private func run() async {
        var wait = firstRun
        while true {
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
            wait = interval
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
}
