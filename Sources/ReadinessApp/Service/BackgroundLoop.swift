import Foundation

/// One background loop of the service (the retention schedule, the staleness sweep): started
/// once and stopped once. A stop cancels the loop's task and waits for it to end; a start
/// after a stop does nothing, so a shutdown racing a late start leaves nothing running.
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
