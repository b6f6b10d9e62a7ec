import Foundation
import Logging

/// Runs ``StalenessSweep`` from the service every `interval` (`READINESS_WEBHOOK_STALE_SWEEP_S`,
/// 60 s by default), the first time one interval after start. Every replica runs it; the
/// sweep's advisory lock lets one work at a time. `clock` is "now" for the sweep: tests move
/// it instead of waiting for a day to pass.
final class StalenessSweepSchedule: Sendable {
    private let sweep: StalenessSweep
    private let interval: Duration
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let loop = BackgroundLoop()

    init(sweep: StalenessSweep, interval: Duration, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.sweep = sweep
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    func start() {
        loop.startRepeating(after: interval, every: interval) { await self.sweepOnce() }
    }

    /// Ends the schedule; a sweep under way finishes (it is one short transaction).
    func stop() async {
        await loop.stop()
    }

    private func sweepOnce() async {
        do {
            let report = try await sweep.sweep(now: clock())
            if report.turnedStale > 0 || report.turnedFresh > 0 {
                logger.info("webhooks: staleness swept", metadata: [
                    "stale": .stringConvertible(report.turnedStale), "fresh": .stringConvertible(report.turnedFresh),
                    "events": .stringConvertible(report.events),
                ])
            }
        } catch {
            // The next interval tries again (the database away for a moment).
            logger.warning("webhooks: staleness sweep failed", metadata: ["error": "\(error)"])
        }
    }
}
