import Foundation
import Sockets

/// Not started → running → draining → stopped, guarded by a lock so `start`, `run` and
/// `shutdown` may be called from any task.
final class ServerLifecycle: @unchecked Sendable {
    // @unchecked Sendable is safe because `phase` and `states` are only touched under `lock`.
    private enum Phase {
        case idle, running, draining
    }

    private let lock = NSLock()
    private var phase = Phase.idle
    private var states: [LoopState] = []
    private var port = 0
    let finished = StopSignal()

    var hasStarted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return phase != .idle
    }

    func start(_ body: () throws -> (Int, [LoopState])) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard phase == .idle else { return port }
        let (port, states) = try body()
        self.port = port
        self.states = states
        phase = .running
        return port
    }

    /// The loops to drain, or nil if shutdown already began (or nothing ever started).
    func beginShutdown() -> [LoopState]? {
        lock.lock()
        defer { lock.unlock() }
        switch phase {
        case .idle:
            phase = .draining
            finished.signal()
            return nil
        case .running:
            phase = .draining
            return states
        case .draining:
            return nil
        }
    }
}
