/// The pool's bookkeeping with no I/O, threads or clocks of its own, so every decision
/// (lease, create, queue, time out, close idle, shut down) is unit-testable without a
/// server (the approach of postgres-nio's `PoolStateMachine`). `PostgresPool` feeds it
/// events and carries out the actions it returns.
struct PoolStateMachine: Sendable {
    typealias ConnectionID = Int
    typealias WaiterID = Int
    typealias Instant = ContinuousClock.Instant

    enum AcquireAction: Equatable {
        /// Use this idle connection.
        case lease(ConnectionID)
        /// Start this new connection; it is already leased to the caller.
        case create(ConnectionID)
        /// All connections busy: wait for `release` or `timeOut`.
        case wait
        case failShutdown
    }

    enum ReleaseAction: Equatable {
        case idle
        /// Hand the connection straight to the oldest waiter.
        case lease(to: WaiterID)
        /// The pool is shutting down: stop the connection.
        case close
    }

    private enum Slot: Equatable {
        case idle(since: Instant)
        case leased
    }

    let minConnections: Int
    let maxConnections: Int
    let idleTimeout: Duration
    private var slots: [ConnectionID: Slot] = [:]
    /// Most recently released last: reusing it first lets surplus connections age out.
    private var idleStack: [ConnectionID] = []
    private var waiters: [WaiterID] = []
    private var nextConnectionID = 0
    private(set) var isShutdown = false

    init(minConnections: Int, maxConnections: Int, idleTimeout: Duration) {
        self.minConnections = minConnections
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    var connectionCount: Int { slots.count }
    var idleCount: Int { idleStack.count }
    var leasedCount: Int { slots.count - idleStack.count }
    var waiterCount: Int { waiters.count }

    mutating func acquire(_ waiter: WaiterID) -> AcquireAction {
        if isShutdown { return .failShutdown }
        if let id = idleStack.popLast() {
            slots[id] = .leased
            return .lease(id)
        }
        if slots.count < maxConnections {
            let id = nextConnectionID
            nextConnectionID += 1
            slots[id] = .leased
            return .create(id)
        }
        waiters.append(waiter)
        return .wait
    }

    mutating func release(_ id: ConnectionID, now: Instant) -> ReleaseAction {
        guard slots[id] == .leased else { return .idle }  // unknown or double release: ignore
        if isShutdown {
            slots[id] = nil
            return .close
        }
        if !waiters.isEmpty {
            return .lease(to: waiters.removeFirst())
        }
        slots[id] = .idle(since: now)
        idleStack.append(id)
        return .idle
    }

    /// The waiter's deadline passed or its task was cancelled. Returns false when it was
    /// already served (the lease won the race), in which case nothing must be failed.
    mutating func removeWaiter(_ waiter: WaiterID) -> Bool {
        guard let index = waiters.firstIndex(of: waiter) else { return false }
        waiters.remove(at: index)
        return true
    }

    /// Idle connections past `idleTimeout`, oldest first, keeping `minConnections` open.
    mutating func closeExpired(now: Instant) -> [ConnectionID] {
        var closed: [ConnectionID] = []
        for id in idleStack {  // bottom of the stack = idle longest
            guard slots.count - closed.count > minConnections else { break }
            if case .idle(let since) = slots[id], now - since >= idleTimeout {
                closed.append(id)
            }
        }
        for id in closed { slots[id] = nil }
        idleStack.removeAll { closed.contains($0) }
        return closed
    }

    /// Fails every waiter and closes idle connections; leased ones close on release.
    mutating func shutdown() -> (waiters: [WaiterID], close: [ConnectionID]) {
        isShutdown = true
        let failed = waiters
        let closed = idleStack
        waiters = []
        idleStack = []
        for id in closed { slots[id] = nil }
        return (failed, closed)
    }
}
