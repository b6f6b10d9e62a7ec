import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    /// `PostgresJSON` against the real server: json keeps the text byte for byte (unlike jsonb,
    /// which renders its own), in the text and binary formats alike, and still refuses text
    /// that is not JSON.
    @Suite struct JSONParameterTests {
        /// Key order, whitespace and number spellings that jsonb would normalise away.
        static let document = #"{"z":1,"a":{"b":[1.50,2e3,null]},"s":"café \"☕\"\n","a":true}"#

        @Test func jsonScalarAndArrayComeBackByteForByte() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE j (n int, body json)")
                let bytes = Array(Self.document.utf8)
                try await pool.execute("INSERT INTO j VALUES (0, \(PostgresJSON(bytes: bytes)))")
                let array = PostgresArray([PostgresJSON(bytes: bytes), PostgresJSON(bytes: Array("[]".utf8))])
                try await pool.execute(
                    PostgresQuery("INSERT INTO j SELECT n::int, body FROM unnest(\(array)) WITH ORDINALITY AS u(body, n)")
                        .prepared(as: "insert_json_array"))
                let rows = try await pool.query("SELECT body, pg_typeof(body)::text AS type FROM j ORDER BY n")
                #expect(rows.count == 3)
                #expect(try rows.map { try $0.decode(PostgresJSON.self, column: "body").bytes } == [bytes, bytes, Array("[]".utf8)])
                #expect(try rows.allSatisfy { try $0.decode(String.self, column: "type") == "json" })
                // The same text through jsonb is not the same bytes: what json spares the server.
                let jsonb = try await pool.query("SELECT \(PostgresJSONB(bytes: bytes))::text AS body")[0]
                #expect(try jsonb.decode(PostgresJSON.self, column: "body").bytes != bytes)
            }
        }

        @Test func invalidJSONIsRefusedByTheServer() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE j (body json)")
                let broken = PostgresJSON(bytes: Array(#"{"a":"#.utf8))
                for query: PostgresQuery in [
                    "INSERT INTO j VALUES (\(broken))",
                    "INSERT INTO j SELECT unnest(\(PostgresArray([PostgresJSON(bytes: Array("{}".utf8)), broken])))",
                ] {
                    let error = await #expect(throws: PostgresError.self) { try await pool.execute(query) }
                    #expect(error?.sqlState == .invalidTextRepresentation)
                }
                #expect(try await pool.query("SELECT count(*) AS n FROM j")[0].decode(Int.self, column: "n") == 0)
            }
        }
    }
}
