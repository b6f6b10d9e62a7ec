import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    @Suite struct PoolTests {
        @Test func exhaustedPoolFailsAfterAcquireTimeout() async throws {
            try await TestDatabase.with(configure: {
                $0.maxConnections = 1
                $0.acquireTimeout = .milliseconds(200)
            }) { pool, _ in
                async let holder: PostgresRows = pool.query("SELECT pg_sleep(1)")
                try await Task.sleep(for: .milliseconds(100))
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
                #expect(error?.kind == .poolExhausted)
                #expect(ContinuousClock.now - started < .milliseconds(900))
                _ = try await holder
                try await pool.ping()  // free again
                #expect(await pool.statistics.waiting == 0)
            }
        }

        @Test func waitersAreServedWhenConnectionsFreeUp() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 2 }) { pool, _ in
                let values = try await withThrowingTaskGroup(of: Int.self) { group in
                    for value in 0..<10 {
                        group.addTask {
                            try await pool.query("SELECT \(value) AS v, pg_sleep(0.02)")[0].decode(Int.self, column: "v")
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(values.sorted() == Array(0..<10))
                #expect(await pool.statistics.connections <= 2)
            }
        }

        @Test func idleConnectionsAboveMinimumAreClosed() async throws {
            try await TestDatabase.with(configure: {
                $0.minConnections = 1
                $0.maxConnections = 3
                $0.idleTimeout = .milliseconds(100)
            }) { pool, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<3 { group.addTask { _ = try await pool.query("SELECT pg_sleep(0.1)") } }
                    try await group.waitForAll()
                }
                #expect(await pool.statistics.connections == 3)
                try await Task.sleep(for: .milliseconds(400))
                #expect(await pool.statistics.connections == 1)
                try await pool.ping()
            }
        }

        @Test func terminatedConnectionIsReplacedAndIdempotentWorkRetried() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 1 }) { pool, _ in
                let attempts = Counter()
                let value = try await pool.withConnection(idempotent: true) { connection in
                    if attempts.increment() == 1 {
                        _ = try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                    }
                    return try connection.query("SELECT 7 AS v")[0].decode(Int.self, column: "v")
                }
                #expect(value == 7)
                #expect(attempts.current == 2)

                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withConnection { connection in
                        try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                    }
                }
                #expect(error?.kind == .connection)
                #expect(error?.isConnectionLost == true)
                try await pool.ping()  // a fresh connection replaces the dead one
            }
        }

        /// Bounces a cluster of its own: restarting the shared one would break the queries of
        /// other test targets running in the same process at that moment.
        @Test func poolRecoversAfterServerRestart() async throws {
            try await PrivateCluster.with { cluster in
                let config = try PostgresConfiguration(
                    url: cluster.url, minConnections: 0, maxConnections: 3, connectTimeout: .seconds(5), acquireTimeout: .seconds(5))
                let pool = PostgresPool(configuration: config, logger: TestDatabase.logger)
                // Shut down on every path, exactly once: the pool's worker threads exit only then.
                let outcome: Result<Void, any Error>
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<3 { group.addTask { _ = try await pool.query("SELECT pg_sleep(0.05)") } }
                        try await group.waitForAll()
                    }
                    try await cluster.restart()
                    // Not marked idempotent: the dead sessions are noticed before anything is sent.
                    for value in 0..<6 {
                        let row = try await pool.query("SELECT \(value) AS v")[0]
                        #expect(try row.decode(Int.self, column: "v") == value)
                    }
                    _ = try await pool.withTransaction { tx in try tx.execute("CREATE TABLE after_restart (v int)") }
                    outcome = .success(())
                } catch {
                    outcome = .failure(error)
                }
                await pool.shutdown()
                try outcome.get()
            }
        }

        @Test func shutdownFailsLaterCalls() async throws {
            try await TestDatabase.with { pool, config in
                let other = PostgresPool(configuration: config, logger: TestDatabase.logger)
                try await other.ping()
                await other.shutdown()
                let error = await #expect(throws: PostgresError.self) { try await other.ping() }
                #expect(error?.kind == .poolShutdown)
            }
        }
    }
}
