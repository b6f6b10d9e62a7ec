import Foundation
import Logging

/// The delivery loop every replica runs: a round of due events, straight away another while
/// rounds find work, else a wait of `pollInterval`, cut short when this replica's doorbell
/// rings (a commit that may have enqueued events). Replicas share the outbox through
/// ``OutboxStore``'s claims, so any number run side by side.
final class WebhookDeliveryWorker: @unchecked Sendable {  // `task` is guarded by `lock`
    /// One round: how many events it claimed (0: nothing was due).
    typealias Round = @Sendable () async throws -> Int
    /// Waits out an idle spell; tests pass a clock they move by hand.
    typealias Sleep = @Sendable (Duration) async -> Void

    private let round: Round
    private let pollInterval: Duration
    private let doorbell: OutboxDoorbell
    private let sleep: Sleep
    private let logger: Logger
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    init(
        round: @escaping Round, pollInterval: Duration, doorbell: OutboxDoorbell, logger: Logger,
        sleep: @escaping Sleep = { try? await Task.sleep(for: $0) }
    ) {
        self.round = round
        self.pollInterval = pollInterval
        self.doorbell = doorbell
        self.sleep = sleep
        self.logger = logger
    }

    convenience init(deliverer: WebhookDeliverer, pollInterval: Duration, doorbell: OutboxDoorbell, logger: Logger) {
        self.init(round: { try await deliverer.deliverDue() }, pollInterval: pollInterval, doorbell: doorbell, logger: logger)
    }

    func start() {
        lock.withLock {
            guard task == nil else { return }
            task = Task { [round, pollInterval, doorbell, sleep, logger] in
                while !Task.isCancelled {
                    do {
                        if try await round() > 0 { continue }
                    } catch {
                        // The database is away: try again after the interval, as when idle.
                        logger.warning("webhook delivery round failed", metadata: ["error": .string(String(describing: error))])
                    }
                    await doorbell.wait { await sleep(pollInterval) }
                }
            }
        }
    }

    /// Stops claiming; attempts in flight finish (each within the request timeout).
    func stop() async {
        let running = lock.withLock { () -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}
