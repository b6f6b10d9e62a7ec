import CLibPQ
import Foundation

public enum PostgresIsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresPool {
    /// Runs `body` between BEGIN and COMMIT on one connection's thread, rolling back when
    /// it throws.
    ///
    /// With `retryable: true` the whole body may run more than once: after a serialization
    /// failure (40001) or deadlock (40P01), up to `configuration.transactionAttempts` times
    /// (PostgreSQL manual 13.2.3: "applications using this level must be prepared to retry
    /// transactions"), and once more on a fresh connection if the connection died before
    /// COMMIT was sent. `body` must then have no effects outside the database.
    public func withTransaction<T: Sendable>(
        isolation: PostgresIsolationLevel = .readCommitted,
        retryable: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let attempts = retryable ? configuration.transactionAttempts : 1
        return try await withConnection(retryOnConnectionLoss: { error in retryable && !error.commitOutcomeUnknown }) {
            connection in
            try Self.runTransaction(on: connection, isolation: isolation, attempts: attempts, body)
        }
    }

    static func runTransaction<T>(
        on connection: PostgresConnection,
        isolation: PostgresIsolationLevel,
        attempts: Int,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            // Sent with the body's first statement, in one round trip (see PostgresConnection).
            connection.deferredBegin = "BEGIN ISOLATION LEVEL \(isolation.rawValue)"
            connection.committedByBody = false
            do {
                let value = try body(connection)
                if connection.committedByBody { return value }
                if connection.deferredBegin != nil {
                    // The body sent nothing: there is no transaction to commit.
                    connection.deferredBegin = nil
                    return value
                }
                guard connection.base.transactionStatus == PQTRANS_INTRANS else {
                    // The body caught a failed statement and carried on. COMMIT would answer
                    // "ROLLBACK" without an error, silently losing the work: refuse instead.
                    throw PostgresError(
                        kind: .server, reason: "a statement failed inside the transaction; it was rolled back",
                        sqlState: .inFailedSQLTransaction
                    )
                }
                try commit(connection)
                return value
            } catch {
                connection.deferredBegin = nil
                if connection.base.isConnected && connection.base.transactionStatus != PQTRANS_IDLE {
                    _ = try? connection.executeScript(unsafeSQL: "ROLLBACK")
                }
                if let failure = error as? PostgresError, failure.sqlState?.meansTransactionShouldRetry == true,
                   attempt < attempts {
                    connection.base.logger.debug("postgres transaction conflict; retrying", metadata: [
                        "postgres.sqlstate": "\(failure.sqlState?.rawValue ?? "")", "postgres.attempt": "\(attempt)",
                    ])
                    // Jittered backoff so two conflicting transactions do not collide again.
                    Thread.sleep(forTimeInterval: Double.random(in: 0.002...0.010) * Double(attempt))
                    continue
                }
                throw error
            }
        }
    }

    private static func commit(_ connection: PostgresConnection) throws(PostgresError) {
        do {
            try connection.executeScript(unsafeSQL: "COMMIT")
        } catch {
            guard error.isConnectionLost else { throw error }
            var unknown = error
            unknown.commitOutcomeUnknown = true
            throw unknown
        }
    }
}
