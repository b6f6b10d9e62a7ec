import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    /// Bytes-valued parameters (`PostgresJSONB`, `PostgresText`, `Data`) and binary arrays
    /// (`PostgresArray`) against the real server: what arrives equals what the text forms give.
    @Suite struct BinaryParameterTests {
        @Test func bytesValuedParametersArriveUnchanged() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE d (j jsonb, t text, b bytea)")
                let document = #"{"name": "café \"☕\"", "n": [1, 2.5, null], "nested": {"ok": true}}"#
                let text = "line\nwith 'quotes', \\backslashes\\ and 🚀"
                let bytes = Data([0, 1, 0x5C, 0x78, 0xFF, 0, 0x27])
                try await pool.execute("""
                    INSERT INTO d VALUES (\(PostgresJSONB(string: document)), \(PostgresText(bytes: Array(text.utf8))), \(bytes))
                    """)
                let row = try await pool.query("""
                    SELECT j = \(document)::jsonb AS same_json, t, b, length(b) AS n FROM d
                    """)[0]
                #expect(try row.decode(Bool.self, column: "same_json"))
                #expect(try row.decode(String.self, column: "t") == text)
                #expect(try row.decode(PostgresText.self, column: "t").bytes == Array(text.utf8))
                #expect(try row.decode(Data.self, column: "b") == bytes)
                #expect(try row.decode(Int.self, column: "n") == bytes.count)
            }
        }

        @Test func emptyByteaIsEmptyNotNull() async throws {
            try await TestDatabase.with { pool, _ in
                let row = try await pool.query("SELECT \(Data()) IS NULL AS null, length(\(Data())) AS n")[0]
                #expect(try row.decode(Bool.self, column: "null") == false)
                #expect(try row.decode(Int.self, column: "n") == 0)
            }
        }

        @Test func nulInBytesValuedTextIsRejectedBeforeSending() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE x (v text, j jsonb)")
                for query: PostgresQuery in [
                    "INSERT INTO x (v) VALUES (\(PostgresText(bytes: [0x61, 0, 0x62])))",
                    "INSERT INTO x (j) VALUES (\(PostgresJSONB(bytes: Array(#"{"a":"#.utf8) + [0] + Array("}".utf8))))",
                    "INSERT INTO x (v) SELECT unnest(\(PostgresArray<String>(["ok", "a\u{0}"])))",
                ] {
                    let error = await #expect(throws: PostgresError.self) { try await pool.execute(query) }
                    #expect(error?.kind == .encoding)
                    #expect(error?.description.contains("NUL") == true)
                }
                #expect(try await pool.query("SELECT count(*) AS n FROM x")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func arraysOfEveryElementTypeEqualTheirTextForms() async throws {
            try await TestDatabase.with { pool, _ in
                let ids = [UUID(), UUID(), UUID()]
                let dates = [Date(timeIntervalSince1970: 1_700_000_000.123456), Date(timeIntervalSince1970: -1.5),
                             Date(timeIntervalSince1970: 946_684_800)]
                let doubles = [3.25, -0.0, 1e-300, .greatestFiniteMagnitude]
                let texts = ["plain", "comma,brace}", "quote\"back\\slash", "NULL", "", "مرحبا 🚀"]
                let row = try await pool.query("""
                    SELECT \(PostgresArray(ids)) = ARRAY[\(ids[0]), \(ids[1]), \(ids[2])]::uuid[] AS uuids,
                           \(PostgresArray(dates)) = ARRAY[\(dates[0]), \(dates[1]), \(dates[2])]::timestamptz[] AS dates,
                           \(PostgresArray(doubles.map(Double?.some))) = ARRAY[\(doubles[0]), \(doubles[1]), \(doubles[2]), \(doubles[3])]::float8[] AS doubles,
                           \(PostgresArray<Int32>([1, nil, -2_000_000_000])) IS NOT DISTINCT FROM ARRAY[1, NULL, -2000000000]::int4[] AS ints,
                           \(PostgresArray([Int.max, Int.min])) = ARRAY[\(Int.max), \(Int.min)]::int8[] AS longs,
                           \(PostgresArray(texts)) = \(texts) AS texts,
                           \(PostgresArray([PostgresText(bytes: Array("bytes".utf8))])) = ARRAY['bytes'] AS text_bytes,
                           \(PostgresArray([Data([0, 1, 2]), Data()])) = ARRAY['\\x000102'::bytea, ''::bytea] AS byteas,
                           \(PostgresArray([PostgresJSONB(string: #"{"b": 1, "a": [true, null]}"#)])) = ARRAY['{"a": [true, null], "b": 1}'::jsonb] AS documents,
                           cardinality(\(PostgresArray<UUID>())) AS empty
                    """)[0]
                for column in ["uuids", "dates", "doubles", "ints", "longs", "texts", "text_bytes", "byteas", "documents"] {
                    #expect(try row.decode(Bool.self, column: column), "\(column)")
                }
                #expect(try row.decode(Int.self, column: "empty") == 0)
            }
        }

        /// A `text[]` literal per element (how a group binds each site's finding codes): spelled
        /// byte for byte as `[String].postgresText()`, and read back by the server as the texts.
        @Test func textArrayLiteralElementsEqualTheStringSpellingAndReadBackAsTheTexts() async throws {
            let lists = [["UDP_3478_BLOCKED", "RTT_HIGH"], [], ["comma,brace}", "quote\"back\\slash", "NULL", "", "مرحبا 🚀"]]
            var literals = PostgresArray<PostgresText>(), spelled = PostgresArray<String>()
            for list in lists {
                literals.appendTextArrayLiteral(list)
                spelled.append(list.postgresText())
            }
            var bound = PostgresBindings(), expected = PostgresBindings()
            bound.append(literals)
            expected.append(spelled)
            #expect(bound.bytes(at: 0) == expected.bytes(at: 0))
            try await TestDatabase.with { pool, _ in
                let rows = try await pool.query("""
                    SELECT l::text[] = \(lists[0]) AS first, l::text[] = \(lists[1]) AS second, l::text[] = \(lists[2]) AS third
                    FROM unnest(\(literals)) WITH ORDINALITY AS u(l, n) ORDER BY n
                    """)
                #expect(rows.count == 3)
                for (index, column) in ["first", "second", "third"].enumerated() {
                    #expect(try rows[index].decode(Bool.self, column: column), "\(column)")
                }
                var withNUL = PostgresArray<PostgresText>()
                withNUL.appendTextArrayLiteral(["ok", "a\u{0}"])
                let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT \(withNUL) AS a") }
                #expect(error?.kind == .encoding)
                #expect(error?.description.contains("NUL") == true)
            }
        }

        @Test func nonFiniteDoublesAndInfiniteDatesTravelInBinaryArrays() async throws {
            try await TestDatabase.with { pool, _ in
                let row = try await pool.query("""
                    SELECT a[1] = 'NaN'::float8 AS nan, a[2] = 'Infinity'::float8 AS inf, a[3] = '-Infinity'::float8 AS ninf,
                           d[1] = 'infinity'::timestamptz AS future, d[2] = '-infinity'::timestamptz AS past
                    FROM (SELECT \(PostgresArray([Double.nan, .infinity, -.infinity])) AS a,
                                 \(PostgresArray([Date(timeIntervalSince1970: .infinity), Date(timeIntervalSince1970: -.infinity)])) AS d) v
                    """)[0]
                for column in ["nan", "inf", "ninf", "future", "past"] {
                    #expect(try row.decode(Bool.self, column: column), "\(column)")
                }
            }
        }

        /// What the ingest does: many rows as one statement, columns as arrays expanded by unnest.
        @Test func unnestOfArraysInsertsOneRowPerElementInOrder() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.execute("CREATE TABLE r (n bigserial, id uuid, at timestamptz, body jsonb, note text, score int4)")
                struct Row {
                    let id = UUID()
                    let at: Date
                    let body: PostgresJSONB
                    let note: String?
                    let score: Int32?
                }
                let rows = (0..<300).map { (index: Int) -> Row in
                    let pad = String(repeating: "x", count: index)
                    return Row(at: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                               body: PostgresJSONB(string: #"{"index": \#(index), "pad": "\#(pad)"}"#),
                               note: index % 3 == 0 ? nil : "note \(index)", score: index % 5 == 0 ? nil : Int32(index))
                }
                let query: PostgresQuery = """
                    INSERT INTO r (id, at, body, note, score)
                    SELECT * FROM unnest(\(PostgresArray(rows.map(\.id))), \(PostgresArray(rows.map(\.at))),
                        \(PostgresArray(rows.map(\.body))), \(PostgresArray(rows.map(\.note))), \(PostgresArray(rows.map(\.score))))
                    """
                #expect(try await pool.execute(query.prepared(as: "insert_rows")) == 300)
                let stored = try await pool.query("SELECT id, at, (body->>'index')::int AS i, note, score FROM r ORDER BY n")
                #expect(stored.count == 300)
                for (index, row) in stored.enumerated() {
                    #expect(try row.decode(UUID.self, column: "id") == rows[index].id)
                    #expect(try row.decode(Date.self, column: "at") == rows[index].at)
                    #expect(try row.decode(Int.self, column: "i") == index)
                    #expect(try row.decode(String?.self, column: "note") == rows[index].note)
                    #expect(try row.decode(Int32?.self, column: "score") == rows[index].score)
                }
            }
        }
    }
}
