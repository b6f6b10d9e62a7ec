import Foundation
import Logging

/// The delivery loop every replica runs: a round of due events, straight away another while
/// rounds find work, else a wait of `pollInterval`. Replicas share the outbox through
/// ``OutboxStore``'s claims, so any number run side by side.
final class WebhookDeliveryWorker: @unchecked Sendable {  // `task` is guarded by `lock`
    private let deliverer: WebhookDeliverer
    private let pollInterval: Duration
    private let logger: Logger
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    init(deliverer: WebhookDeliverer, pollInterval: Duration, logger: Logger) {
        self.deliverer = deliverer
        self.pollInterval = pollInterval
        self.logger = logger
    }

    func start() {
        lock.withLock {
            guard task == nil else { return }
            task = Task { [deliverer, pollInterval, logger] in
                while !Task.isCancelled {
                    do {
                        if try await deliverer.deliverDue() > 0 { continue }
                    } catch {
                        // The database is away: try again after the interval, as when idle.
                        logger.warning("webhook delivery round failed", metadata: ["error": .string(String(describing: error))])
                    }
                    try? await Task.sleep(for: pollInterval)
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
