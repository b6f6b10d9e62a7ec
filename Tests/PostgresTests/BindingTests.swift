import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    @Suite struct BindingTests {
        @Test(arguments: [
            "O'Brien; DROP TABLE x; --",
            "👩🏽‍🚀 rocket 🚀",
            "e\u{301} combining, Å",
            "مرحبا بالعالم",
            "\\x00 \" ' $1 %s",
        ])
        func textParametersRoundTripUnchanged(value: String) async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE x (v text)")
                try await pool.execute("INSERT INTO x (v) VALUES (\(value))")
                let rows = try await pool.query("SELECT v, length(v) AS n FROM x")
                #expect(rows.count == 1)
                #expect(try rows[0].decode(String.self, column: "v") == value)
                #expect(try rows[0].decode(Int.self, column: "n") == value.unicodeScalars.count)
                #expect(try await pool.query("SELECT 1 FROM x").count == 1)  // table still there
            }
        }

        @Test func nulInTextIsRejectedBeforeSending() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE x (v text)")
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.execute("INSERT INTO x (v) VALUES (\("a\u{0}b"))")
                }
                #expect(error?.kind == .encoding)
                #expect(error?.description.contains("NUL") == true)
                #expect(try await pool.query("SELECT count(*) AS n FROM x")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func everySupportedTypeRoundTripsIncludingNull() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("""
                    CREATE TABLE t (t text, i2 int2, i4 int4, i8 int8, f float8, b bool, u uuid,
                                    ts timestamptz, j jsonb, by bytea, arr text[])
                    """)
                let uuid = UUID()
                let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
                let json = PostgresJSONB(string: #"{"ok": true, "n": [1, 2]}"#)
                let bytes = Data([0, 1, 2, 0xFF, 0x5C, 0x27])
                let array = ["a", "b,c", "d\"e", "NULL", "🚀"]
                try await pool.execute("""
                    INSERT INTO t VALUES (\("text"), \(Int16(-2)), \(Int32(2_000_000_000)), \(Int.max), \(3.25),
                        \(true), \(uuid), \(date), \(json), \(bytes), \(array))
                    """)
                let none: String? = nil, noInt: Int? = nil, noDate: Date? = nil, noUUID: UUID? = nil
                try await pool.execute("INSERT INTO t (t, i8, ts, u) VALUES (\(none), \(noInt), \(noDate), \(noUUID))")

                let rows = try await pool.query("SELECT * FROM t ORDER BY t NULLS LAST")
                let row = rows[0]
                #expect(try row.decode(String.self, column: "t") == "text")
                #expect(try row.decode(Int16.self, column: "i2") == -2)
                #expect(try row.decode(Int32.self, column: "i4") == 2_000_000_000)
                #expect(try row.decode(Int.self, column: "i8") == Int.max)
                #expect(try row.decode(Double.self, column: "f") == 3.25)
                #expect(try row.decode(Bool.self, column: "b") == true)
                #expect(try row.decode(UUID.self, column: "u") == uuid)
                let decodedDate = try row.decode(Date.self, column: "ts")
                #expect(abs(decodedDate.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
                let decodedJSON = try row.decode(PostgresJSONB.self, column: "j")
                #expect(try decodedJSON.decode([String: AnyCodableValue].self)["ok"] == .bool(true))
                #expect(try row.decode(Data.self, column: "by") == bytes)
                #expect(try row.decode([String].self, column: "arr") == array)

                let empty = rows[1]
                #expect(try empty.decode(String?.self, column: "t") == nil)
                #expect(try empty.decode(Int?.self, column: "i8") == nil)
                #expect(try empty.decode(Date?.self, column: "ts") == nil)
                #expect(try empty.decode(UUID?.self, at: 6) == nil)
                let error = #expect(throws: PostgresError.self) { try empty.decode(String.self, column: "t") }
                #expect(error?.kind == .decoding)
                #expect(error?.columnName == "t")
            }
        }

        @Test func timestampsKeepMicrosecondsAndHonourOffsets() async throws {
            try await TestDatabase.with { pool, _ in
                let row = try await pool.query("""
                    SELECT '2024-03-01 12:34:56.123456+05:30'::timestamptz AS a,
                           '1999-12-31 23:59:59.999999-08'::timestamptz AS b,
                           \(Date(timeIntervalSince1970: 0.000_001))::text AS c
                    """)[0]
                let a = try row.decode(Date.self, column: "a").timeIntervalSince1970
                #expect(abs(a - 1_709_276_696.123456) < 0.000_001)
                let b = try row.decode(Date.self, column: "b").timeIntervalSince1970
                #expect(abs(b - 946_713_599.999999) < 0.000_001)
                #expect(try row.decode(String.self, column: "c") == "1970-01-01 00:00:00.000001+00")
            }
        }

        @Test func decodingErrorsNameTheColumnButNotTheValue() async throws {
            try await TestDatabase.with { pool, _ in
                let row = try await pool.query("SELECT 'secret-value' AS token")[0]
                let error = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "token") }
                #expect(error?.columnName == "token")
                #expect(error?.description.contains("secret-value") == false)
                #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "missing") }
            }
        }

        @Test func preparedStatementIsPreparedOncePerConnection() async throws {
            try await TestDatabase.with(configure: { $0.maxConnections = 1 }) { pool, _ in
                let counts = try await pool.withConnection { connection in
                    var sums: [Int] = []
                    for value in 1...3 {
                        let query = PostgresQuery("SELECT \(value) + 1 AS n").prepared(as: "add_one")
                        sums.append(try connection.query(query)[0].decode(Int.self, column: "n"))
                    }
                    let prepared = try connection.query("SELECT count(*) AS n FROM pg_prepared_statements WHERE name = 'add_one'")
                    return (sums, connection.preparedStatementCount, try prepared[0].decode(Int.self, column: "n"))
                }
                #expect(counts.0 == [2, 3, 4])
                #expect(counts.1 == 1)
                #expect(counts.2 == 1)
                // The next lease of the same connection reuses the statement too.
                let again = try await pool.query(PostgresQuery("SELECT \(9) + 1 AS n").prepared(as: "add_one"))
                #expect(try again[0].decode(Int.self, column: "n") == 10)
                let total = try await pool.withConnection { $0.preparedStatementCount }
                #expect(total == 1)
            }
        }
    }
}

/// Enough of JSON to check a jsonb round trip without a dependency.
enum AnyCodableValue: Codable, Equatable {
    case bool(Bool), number(Double), array([AnyCodableValue]), other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode([AnyCodableValue].self) { self = .array(value) }
        else { self = .other }
    }

    func encode(to encoder: any Encoder) throws {}
}
