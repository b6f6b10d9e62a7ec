import Foundation

/// Rung by this replica's writers after a commit that may have put events in the outbox, so
/// the delivery worker starts a round at once instead of at its next poll (up to a second
/// later). Other replicas still find those events at their own poll: the doorbell is a latency
/// shortcut, never the only way an event is found.
///
/// In-process rather than PostgreSQL's LISTEN/NOTIFY: a NOTIFY in the trigger would serialize
/// every committing transaction that enqueued events on the notification queue's lock (the
/// ingest's group commits among them), and listening needs a connection of its own held open
/// per replica. A ring is a lock and, when the worker waits, one resumption; rings while the
/// worker is busy coalesce into one "look again" for when it is done.
final class OutboxDoorbell: @unchecked Sendable {  // `rung` and `waiter` guarded by `lock`
    private let lock = NSLock()
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    init() {}

    /// Safe from any thread, including a commit lane's writer (it never waits).
    func ring() {
        let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            if let waiter {
                self.waiter = nil
                return waiter
            }
            rung = true
            return nil
        }
        waiting?.resume()
    }

    /// Returns when the doorbell rings (at once if it rang since the last wait) or when
    /// `sleep` returns (the poll interval, on the clock the worker was given), whichever is
    /// first. One waiter at a time: the worker's loop.
    func wait(sleeping sleep: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask { await sleep() }
            await group.next()
            group.cancelAll()
            // A sleep cancelled early leaves nothing behind; a ring wait cancelled is resumed
            // by its cancellation handler, and a ring that raced it is kept for the next wait.
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock { () -> Bool in
                    if rung {
                        rung = false
                        return true
                    }
                    // Cancelled before waiting (the sleep won): a ring stays for the next wait.
                    if Task.isCancelled { return true }
                    waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                defer { waiter = nil }
                return waiter
            }
            waiting?.resume()
        }
    }
}
