import Logging

/// A bounded pool of connections, each owned by its own worker thread.
///
/// Connections open lazily on demand, up to `maxConnections`; callers beyond that wait
/// in FIFO order for at most `acquireTimeout`. Work is handed to the connection's thread as
/// a synchronous closure, so a transaction never suspends halfway, and the awaiting task
/// is resumed with the result. A connection broken by a server restart is replaced on its
/// next use, so the pool needs no restart.
public actor PostgresPool {
    public nonisolated let configuration: PostgresConfiguration
    let logger: Logger
    // Internal (not private) only so the Leasing extension in its own file can reach them.
    var state: PoolStateMachine
    var workers: [PoolStateMachine.ConnectionID: ConnectionWorker] = [:]
    var waiting: [PoolStateMachine.WaiterID: CheckedContinuation<ConnectionWorker, any Error>] = [:]
    var deadlines: [PoolStateMachine.WaiterID: Task<Void, Never>] = [:]
    var nextWaiterID = 0
    var sweeper: Task<Void, Never>?

    public init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.state = PoolStateMachine(
            minConnections: configuration.minConnections,
            maxConnections: configuration.maxConnections,
            idleTimeout: configuration.idleTimeout
        )
    }

    /// Runs `body` on one connection's thread. With `idempotent: true`, a `body` whose
    /// connection died mid-way is run once more on a fresh connection; leave it false for
    /// anything that must not happen twice.
    public func withConnection<T: Sendable>(
        idempotent: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection(retryOnConnectionLoss: { _ in idempotent }, body)
    }

    func withConnection<T: Sendable>(
        retryOnConnectionLoss: @escaping @Sendable (PostgresError) -> Bool,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let worker = try await lease()
        do {
            let value = try await worker.run { session in
                try session.perform(retryOnConnectionLoss: retryOnConnectionLoss, body)
            }
            release(worker)
            return value
        } catch {
            release(worker)
            throw error
        }
    }

    /// Runs one statement. `idempotent: true` allows one rerun after a lost connection.
    public func query(_ query: PostgresQuery, idempotent: Bool = false) async throws -> PostgresRows {
        try await withConnection(idempotent: idempotent) { connection in try connection.query(query) }
    }

    /// Runs one statement and returns the affected row count.
    @discardableResult
    public func execute(_ query: PostgresQuery, idempotent: Bool = false) async throws -> Int {
        try await withConnection(idempotent: idempotent) { connection in try connection.execute(query) }
    }

    /// A round trip for readiness probes.
    public func ping() async throws {
        _ = try await query("SELECT 1", idempotent: true)
    }

    public var statistics: PostgresPoolStatistics {
        PostgresPoolStatistics(
            connections: state.connectionCount, idle: state.idleCount,
            leased: state.leasedCount, waiting: state.waiterCount
        )
    }

    /// Fails waiting callers, closes idle connections now and busy ones when they return.
    public func shutdown() async {
        sweeper?.cancel()
        sweeper = nil
        let (failed, closed) = state.shutdown()
        for waiter in failed {
            deadlines.removeValue(forKey: waiter)?.cancel()
            waiting.removeValue(forKey: waiter)?.resume(throwing: PostgresError(kind: .poolShutdown, reason: "the pool was shut down"))
        }
        for id in closed {
            if let worker = workers.removeValue(forKey: id) { await worker.close() }
        }
    }
}

public struct PostgresPoolStatistics: Sendable, Equatable {
    public var connections: Int
    public var idle: Int
    public var leased: Int
    public var waiting: Int
}
