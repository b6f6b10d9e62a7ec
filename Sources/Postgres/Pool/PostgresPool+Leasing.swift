import Logging

extension PostgresPool {
    func lease() async throws -> ConnectionWorker {
        let waiter = nextWaiterID
        nextWaiterID += 1
        switch state.acquire(waiter) {
        case .lease(let id):
            guard let worker = workers[id] else { throw PostgresError.misuse("pool lost track of a connection") }
            return worker
        case .create(let id):
            startSweeperIfNeeded()
            let worker = ConnectionWorker(id: id, configuration: configuration, logger: logger)
            workers[id] = worker
            return worker
        case .failShutdown:
            throw PostgresError(kind: .poolShutdown, reason: "the pool was shut down")
        case .wait:
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    enqueueWaiter(waiter, continuation)
                }
            } onCancel: {
                Task { await self.giveUp(waiter, PostgresError(kind: .poolExhausted, reason: "cancelled while waiting for a connection")) }
            }
        }
    }

    func release(_ worker: ConnectionWorker) {
        switch state.release(worker.id, now: .now) {
        case .idle:
            break
        case .lease(let waiter):
            deadlines.removeValue(forKey: waiter)?.cancel()
            waiting.removeValue(forKey: waiter)?.resume(returning: worker)
        case .close:
            workers[worker.id] = nil
            worker.stop()
        }
    }

    /// Called when a waiter's deadline passes or its task is cancelled.
    func giveUp(_ waiter: PoolStateMachine.WaiterID, _ error: PostgresError) {
        guard state.removeWaiter(waiter) else { return }
        if error.kind == .poolExhausted {
            logger.warning("postgres pool exhausted", metadata: ["postgres.max_connections": "\(configuration.maxConnections)"])
        }
        deadlines.removeValue(forKey: waiter)?.cancel()
        waiting.removeValue(forKey: waiter)?.resume(throwing: error)
    }

    func sweepIdle() async {
        for id in state.closeExpired(now: .now) {
            logger.debug("postgres closing idle connection", metadata: ["postgres.connection": "\(id)"])
            if let worker = workers.removeValue(forKey: id) { await worker.close() }
        }
    }

    private func startSweeperIfNeeded() {
        guard sweeper == nil, !state.isShutdown else { return }
        // Check a few times per idle timeout, but not more often than every 10 ms.
        let interval = max(configuration.idleTimeout / 4, .milliseconds(10))
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.sweepIdle()
            }
        }
    }

    private func enqueueWaiter(
        _ waiter: PoolStateMachine.WaiterID,
        _ continuation: CheckedContinuation<ConnectionWorker, any Error>
    ) {
        let timeout = configuration.acquireTimeout
        waiting[waiter] = continuation
        deadlines[waiter] = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await self?.giveUp(waiter, PostgresError(
                kind: .poolExhausted, reason: "no database connection became free within the acquire timeout"
            ))
        }
    }
}
