import CLibPQ
import Foundation
import Logging

/// The worker thread's view of its session: connects lazily, replaces a broken
/// connection, health-checks after idling and retries idempotent work once after the
/// connection died. Confined to the worker thread (not `Sendable`).
final class WorkerSession {
    let configuration: PostgresConfiguration
    let logger: Logger
    private var connection: LibPQConnection?
    private var lastUsed = ContinuousClock.now

    init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func close() { connection = nil }  // deinit calls PQfinish

    /// Runs `body` on a live connection. When the connection dies during `body`, it is
    /// discarded; `body` runs again on a fresh one only if `retryOnConnectionLoss` says so
    /// for that error (the statement may have taken effect before the connection died).
    func perform<T>(
        retryOnConnectionLoss: (PostgresError) -> Bool,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let base = try liveConnection()
            let handle = PostgresConnection(base)
            defer {
                handle.invalidate()
                lastUsed = .now
            }
            do {
                let value = try body(handle)
                resetIfInTransaction(base)
                return value
            } catch let error as PostgresError where error.isConnectionLost || !base.isConnected {
                connection = nil
                if attempt < 2 && retryOnConnectionLoss(error) {
                    logger.warning("postgres connection lost; retrying idempotent work on a new connection")
                    continue
                }
                throw error
            } catch {
                if base.isConnected { resetIfInTransaction(base) } else { connection = nil }
                throw error
            }
        }
    }

    /// A connection known to be usable: nothing of the caller's work has been sent yet,
    /// so replacing a dead one here is always safe.
    private func liveConnection() throws(PostgresError) -> LibPQConnection {
        if let existing = connection {
            if existing.looksAlive() && (!idledTooLong || passesRoundTrip(existing)) {
                return existing
            }
            logger.info("postgres connection is broken; replacing it")
            connection = nil
        }
        let fresh = try LibPQConnection.connect(configuration, logger: logger)
        connection = fresh
        return fresh
    }

    private var idledTooLong: Bool {
        ContinuousClock.now - lastUsed > configuration.healthCheckAfterIdle
    }

    private func passesRoundTrip(_ connection: LibPQConnection) -> Bool {
        (try? connection.executeScript("SELECT 1")) != nil
    }

    /// A closure that left a transaction open must not hand it to the next caller.
    private func resetIfInTransaction(_ base: LibPQConnection) {
        guard base.transactionStatus != PQTRANS_IDLE else { return }
        logger.warning("postgres connection returned inside a transaction; rolling back")
        if (try? base.executeScript("ROLLBACK")) == nil { connection = nil }
    }

    /// Exposed for tests of health checking.
    var hasConnection: Bool { connection != nil }
}
