import Foundation

/// One background loop of the service (the retention schedule, the staleness sweep, the
/// webhook history prune): started once and stopped once. A stop cancels the loop's task and
/// waits for it to end; a start after a stop does nothing, so a shutdown racing a late start
/// leaves nothing running.
final class BackgroundLoop: @unchecked Sendable {  // `task` and `stopped` behind `lock`
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var stopped = false

    func start(_ body: @escaping @Sendable () async -> Void) {
        lock.withLock {
            guard task == nil, !stopped else { return }
            task = Task { await body() }
        }
    }

    /// Runs `round` after `first`, then every `interval` after each round ends, until stopped
    /// (a stop ends the wait at once; a round under way finishes, or checks ``isStopped``).
    func startRepeating(after first: Duration, every interval: Duration, _ round: @escaping @Sendable () async -> Void) {
        start {
            var wait = first
            while true {
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return
                }
                wait = interval
                await round()
            }
        }
    }

    func stop() async {
        let running: Task<Void, Never>? = lock.withLock {
            stopped = true
            return task
        }
        running?.cancel()
        await running?.value
    }

    var isStopped: Bool { lock.withLock { stopped } }
}
