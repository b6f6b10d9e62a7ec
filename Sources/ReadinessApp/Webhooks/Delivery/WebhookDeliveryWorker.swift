import Foundation
import Logging

/// The delivery loop every replica runs: a round of due events, straight away another while
/// rounds come back full, a short gathering pause after a round that found some work (or a
/// ring), else a wait of `pollInterval`, cut short when this replica's doorbell rings (a
/// commit that may have enqueued events). Replicas share the outbox through ``OutboxStore``'s
/// claims, so any number run side by side.
///
/// Why the pause: under steady ingest nearly every group commit rings, and a round per ring
/// pays its four statements for one or two events, on the cores ingest needs
/// (`make bench-webhooks`, random network). A fifth of a second later the same round carries
/// every event those commits made; a full round goes on at once, so a burst is not slowed.
///
/// Why background priority: delivering is work that can wait a moment, ingest is what agents
/// wait on. Background tasks run on threads of their own at nice 10 (libdispatch on Linux), and
/// threads started from them inherit it (the senders' ``ReusedThreads``, but for one a `ping`
/// from a request started), so when the cores are short request handling goes first.
/// (`make bench-webhooks` on a shared 2-core machine could not tell the difference: burst
/// ingest 467 and 260 results/s with it, 222–321 without.)
final class WebhookDeliveryWorker: @unchecked Sendable {  // `task` is guarded by `lock`
    /// One round: how many events it claimed (0: nothing was due).
    typealias Round = @Sendable () async throws -> Int
    /// Waits out an idle spell; tests pass a clock they move by hand.
    typealias Sleep = @Sendable (Duration) async -> Void

    private let round: Round
    private let pollInterval: Duration
    private let gathering: Duration
    private let fullRound: Int
    private let doorbell: OutboxDoorbell
    private let sleep: Sleep
    private let logger: Logger
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    /// `gathering`: the pause before a round that follows a ring or a round that was not
    /// full (zero: none). `fullRound`: a round that claims this many goes on at once.
    init(
        round: @escaping Round, pollInterval: Duration, doorbell: OutboxDoorbell, logger: Logger,
        gathering: Duration = .zero, fullRound: Int = 1,
        sleep: @escaping Sleep = { try? await Task.sleep(for: $0) }
    ) {
        self.round = round
        self.pollInterval = pollInterval
        self.gathering = gathering
        self.fullRound = max(fullRound, 1)
        self.doorbell = doorbell
        self.sleep = sleep
        self.logger = logger
    }

    convenience init(deliverer: WebhookDeliverer, settings: WebhookSettings, doorbell: OutboxDoorbell, logger: Logger) {
        self.init(
            round: { try await deliverer.deliverDue() }, pollInterval: settings.pollInterval, doorbell: doorbell, logger: logger,
            gathering: settings.gathering, fullRound: settings.batchSize)
    }

    func start() {
        lock.withLock {
            guard task == nil else { return }
            task = Task(priority: .background) { [round, pollInterval, gathering, fullRound, doorbell, sleep, logger] in
                while !Task.isCancelled {
                    do {
                        let claimed = try await round()
                        if claimed >= fullRound { continue }
                        if claimed == 0 { await doorbell.wait { await sleep(pollInterval) } }
                    } catch {
                        // The database is away: try again after the interval, as when idle.
                        logger.warning("webhook delivery round failed", metadata: ["error": .string(String(describing: error))])
                        await doorbell.wait { await sleep(pollInterval) }
                    }
                    if gathering > .zero, !Task.isCancelled { await sleep(gathering) }
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
