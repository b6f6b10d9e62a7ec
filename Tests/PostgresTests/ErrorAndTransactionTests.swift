import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    @Suite struct ErrorAndTransactionTests {
        @Test func uniqueViolationCarriesSQLStateAndConstraintButNoServerText() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE users (email text CONSTRAINT users_email_key UNIQUE)")
                try await pool.execute("INSERT INTO users VALUES (\("a@example.com"))")
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.execute("INSERT INTO users VALUES (\("a@example.com"))")
                }
                #expect(error?.kind == .server)
                #expect(error?.sqlState == .uniqueViolation)
                #expect(error?.constraintName == "users_email_key")
                #expect(error?.tableName == "users")
                let text = error?.description ?? ""
                #expect(!text.contains("duplicate key"))
                #expect(!text.contains("a@example.com"))
            }
        }

        @Test(arguments: [
            ("SELEC 1", SQLState.syntaxError, "syntax error"),
            ("SELECT * FROM no_such_table", SQLState.undefinedTable, "does not exist"),
            ("SELECT 'abc'::int", SQLState.invalidTextRepresentation, "invalid input syntax"),
        ])
        func serverErrorsExposeSQLStateOnly(sql: String, state: SQLState, serverText: String) async throws {
            try await TestDatabase.with { pool, _ in
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.query(PostgresQuery(unsafeSQL: sql))
                }
                #expect(error?.sqlState == state)
                #expect(error?.description.contains(serverText) == false)
                #expect(error?.description.contains(state.rawValue) == true)
            }
        }

        @Test func constraintViolationsMapToNamedStates() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("""
                    CREATE TABLE parent (id int PRIMARY KEY);
                    """)
                try await pool.execute("""
                    CREATE TABLE child (id int NOT NULL CONSTRAINT positive CHECK (id > 0),
                                        parent int CONSTRAINT child_parent_fkey REFERENCES parent(id))
                    """)
                let nullID: Int? = nil
                let cases: [(PostgresQuery, SQLState, String?)] = [
                    ("INSERT INTO child (id) VALUES (\(nullID))", .notNullViolation, nil),
                    ("INSERT INTO child (id) VALUES (\(-1))", .checkViolation, "positive"),
                    ("INSERT INTO child (id, parent) VALUES (\(1), \(99))", .foreignKeyViolation, "child_parent_fkey"),
                ]
                for (query, state, constraint) in cases {
                    let error = await #expect(throws: PostgresError.self) { try await pool.execute(query) }
                    #expect(error?.sqlState == state)
                    if let constraint { #expect(error?.constraintName == constraint) }
                }
            }
        }

        @Test func transactionRollsBackWhenBodyThrows() async throws {
            struct Abort: Error {}
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE x (v int)")
                await #expect(throws: Abort.self) {
                    try await pool.withTransaction { tx in
                        try tx.execute("INSERT INTO x VALUES (\(1))")
                        try tx.execute("INSERT INTO x VALUES (\(2))")
                        throw Abort()
                    }
                }
                #expect(try await pool.query("SELECT count(*) AS n FROM x")[0].decode(Int.self, column: "n") == 0)
                let committed = try await pool.withTransaction { tx in
                    try tx.execute("INSERT INTO x VALUES (\(3))")
                }
                #expect(committed == 1)
                #expect(try await pool.query("SELECT count(*) AS n FROM x")[0].decode(Int.self, column: "n") == 1)
            }
        }

        @Test func swallowedStatementErrorStillRollsBack() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE x (v int PRIMARY KEY)")
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withTransaction { tx in
                        try tx.execute("INSERT INTO x VALUES (\(1))")
                        _ = try? tx.execute("INSERT INTO x VALUES (\(1))")  // fails, error ignored
                    }
                }
                #expect(error?.sqlState == .inFailedSQLTransaction)
                #expect(try await pool.query("SELECT count(*) AS n FROM x")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func serializationFailureRetriesWholeTransaction() async throws {
            try await TestDatabase.with { pool, config in
                try await pool.execute("CREATE TABLE counter (n int)")
                try await pool.execute("INSERT INTO counter VALUES (0)")
                let attempts = Counter()
                let logger = TestDatabase.logger
                try await pool.withTransaction(isolation: .repeatableRead, retryable: true) { tx in
                    _ = try tx.query("SELECT n FROM counter")  // takes the snapshot
                    if attempts.increment() == 1 {
                        // A concurrent writer commits after our snapshot, on its own session.
                        let other = try LibPQConnection.connect(config, logger: logger)
                        _ = try other.execute("UPDATE counter SET n = n + 1")
                    }
                    try tx.execute("UPDATE counter SET n = n + 1")  // 40001 on the first attempt
                }
                #expect(attempts.current == 2)
                #expect(try await pool.query("SELECT n FROM counter")[0].decode(Int.self, column: "n") == 2)
            }
        }

        @Test func serializationFailureSurfacesWhenNotRetryable() async throws {
            try await TestDatabase.with { pool, config in
                try await pool.execute("CREATE TABLE counter (n int)")
                try await pool.execute("INSERT INTO counter VALUES (0)")
                let logger = TestDatabase.logger
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withTransaction(isolation: .repeatableRead) { tx in
                        _ = try tx.query("SELECT n FROM counter")
                        _ = try LibPQConnection.connect(config, logger: logger).execute("UPDATE counter SET n = n + 1")
                        try tx.execute("UPDATE counter SET n = n + 1")
                    }
                }
                #expect(error?.sqlState == .serializationFailure)
            }
        }

        @Test func statementTimeoutCancelsLongQuery() async throws {
            try await TestDatabase.with(configure: { $0.statementTimeout = .milliseconds(100) }) { pool, _ in
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(5)") }
                #expect(error?.kind == .timeout)
                #expect(error?.sqlState == .queryCanceled)
                #expect(ContinuousClock.now - started < .seconds(3))
                try await pool.ping()  // the connection is still usable
            }
        }
    }
}
