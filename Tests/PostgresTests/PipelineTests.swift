import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    /// Pipelined statements (one round trip for several), the BEGIN a transaction sends with
    /// its first statement, and COMMIT sent with the last ones.
    @Suite struct PipelineTests {
        @Test func pipelineAnswersEveryStatementInOrderPreparedOrNot() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 1 }) { pool, _ in
                try await pool.execute("CREATE TABLE p (n int)")
                let answers = try await pool.withConnection { connection in
                    try connection.pipeline([
                        "INSERT INTO p VALUES (\(1)), (\(2))",
                        PostgresQuery("SELECT sum(n)::int8 AS total FROM p WHERE n > \(0)").prepared(as: "sum_p"),
                        "SELECT \("text") AS t, \(Data([0, 1])) AS b",
                    ])
                }
                #expect(answers.count == 3)
                #expect(answers[0].affectedRows == 2)
                #expect(try answers[1][0].decode(Int.self, column: "total") == 3)
                #expect(try answers[2][0].decode(String.self, column: "t") == "text")
                #expect(try answers[2][0].decode(Data.self, column: "b") == Data([0, 1]))
                // The connection left pipeline mode: plain statements work, the prepared one is reused.
                #expect(try await pool.query(PostgresQuery("SELECT sum(n)::int8 AS total FROM p WHERE n > \(1)").prepared(as: "sum_p"))[0]
                    .decode(Int.self, column: "total") == 2)
                #expect(try await pool.withConnection { $0.preparedStatementCount } == 1)
            }
        }

        /// Statements of one pipeline share its implicit transaction: after a failure the rest
        /// are skipped and the earlier ones roll back; the failure is thrown with its SQLSTATE.
        @Test func failureInAPipelineSkipsTheRestAndRollsItBack() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 1 }) { pool, _ in
                try await pool.execute("CREATE TABLE p (n int PRIMARY KEY)")
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withConnection { connection in
                        try connection.pipeline(["INSERT INTO p VALUES (\(1))", "SELECT 'x'::int", "INSERT INTO p VALUES (\(2))"])
                    }
                }
                #expect(error?.sqlState == .invalidTextRepresentation)
                #expect(try await pool.query("SELECT count(*)::int8 AS n FROM p")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func nulIsRefusedBeforeAnyPipelinedStatementIsSent() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE p (t text)")
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withConnection { connection in
                        try connection.pipeline(["INSERT INTO p VALUES (\("ok"))", "INSERT INTO p VALUES (\("a\u{0}b"))"])
                    }
                }
                #expect(error?.kind == .encoding)
                #expect(try await pool.query("SELECT count(*)::int8 AS n FROM p")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func transactionSendsItsBeginWithTheFirstStatementAndRollsBackOnFailure() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 1 }) { pool, _ in
                try await pool.execute("CREATE TABLE t (n int PRIMARY KEY)")
                let inside = try await pool.withTransaction { tx in
                    try tx.execute("INSERT INTO t VALUES (\(1))")
                    return try tx.query("SELECT txid_current_if_assigned() IS NOT NULL AS open")
                }
                // BEGIN took effect: the insert and the select shared one transaction.
                #expect(try inside[0].decode(Bool.self, column: "open"))
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withTransaction { tx in
                        try tx.execute("INSERT INTO t VALUES (\(2))")
                        try tx.execute("INSERT INTO t VALUES (\(1))")  // duplicate key
                    }
                }
                #expect(error?.sqlState == .uniqueViolation)
                #expect(try await pool.query("SELECT count(*)::int8 AS n FROM t")[0].decode(Int.self, column: "n") == 1)
                // A body that sends nothing opens no transaction and leaves none open.
                try await pool.withTransaction { _ in }
                #expect(try await pool.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
            }
        }

        @Test func commitAfterSendsTheLastStatementsWithCommit() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 1 }) { pool, _ in
                try await pool.execute("CREATE TABLE t (n int PRIMARY KEY)")
                let written = try await pool.withTransaction { tx in
                    let first = try tx.pipeline(["INSERT INTO t VALUES (\(1))", "SELECT count(*)::int8 AS n FROM t"])
                    let last = try tx.commit(after: ["INSERT INTO t VALUES (\(2)), (\(3))"])
                    return (try first[1][0].decode(Int.self, column: "n"), last[0].affectedRows)
                }
                #expect(written.0 == 1)
                #expect(written.1 == 2)
                #expect(try await pool.query("SELECT count(*)::int8 AS n FROM t")[0].decode(Int.self, column: "n") == 3)
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.withTransaction { tx in
                        try tx.execute("INSERT INTO t VALUES (\(4))")
                        try tx.commit(after: ["INSERT INTO t VALUES (\(5))", "INSERT INTO t VALUES (\(1))"])
                    }
                }
                #expect(error?.sqlState == .uniqueViolation)
                #expect(try await pool.query("SELECT count(*)::int8 AS n FROM t")[0].decode(Int.self, column: "n") == 3)
                // Inside withConnection, `transaction` does the same on the connection in hand.
                _ = try await pool.withConnection { connection in
                    try connection.transaction { tx in try tx.commit(after: ["INSERT INTO t VALUES (\(6))"]) }
                }
                #expect(try await pool.query("SELECT count(*)::int8 AS n FROM t")[0].decode(Int.self, column: "n") == 4)
            }
        }
    }
}
