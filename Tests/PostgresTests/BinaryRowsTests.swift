import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    /// Rows read in binary form (`withBinaryRows`) against the real server: each value equals
    /// what its text form decodes to, and the rows cannot be read once the call is over.
    @Suite struct BinaryRowsTests {
        @Test func binaryCellsEqualTheirTextForms() async throws {
            try await TestDatabase.with { pool, _ in
                let query: PostgresQuery = """
                    SELECT n, gen_random_uuid() AS id, t AS at, CASE WHEN n % 2 = 0 THEN 'entry ' || n || ' ☕' END AS entry
                    FROM unnest(ARRAY[timestamptz '2026-12-05 11:20:30.123456+00', '1999-12-31 23:59:59.999999+00',
                                      '2000-01-01 00:00:00+00', '1969-07-20 20:17:40.5+00', 'infinity', '-infinity'])
                         WITH ORDINALITY AS s(t, n)
                    """
                let text = try await pool.query(query)
                let ids = try text.map { try $0.decode(UUID.self, column: "id") }
                let binary = try await pool.withConnection { connection in
                    try connection.withBinaryRows(query) { rows in
                        try (0..<rows.count).map { row in
                            (try rows.int(row: row, column: 0), try rows.uuid(row: row, column: 1), try rows.date(row: row, column: 2),
                             try rows.withText(row: row, column: 3) { $0.map { String(decoding: $0, as: UTF8.self) } })
                        }
                    }
                }
                #expect(binary.count == text.count)
                for (row, cells) in zip(text, binary) {
                    #expect(cells.0 == (try row.decode(Int.self, column: "n")))
                    #expect(cells.2 == (try row.decode(Date.self, column: "at")))
                    #expect(cells.3 == (try row.decode(String?.self, column: "entry")))
                }
                // Another statement, so other ids: the uuids are checked for their form only.
                #expect(Set(binary.map(\.1)).count == ids.count)
            }
        }

        @Test func aCellOfAnotherTypeOrNullIsADecodingError() async throws {
            try await TestDatabase.with { pool, _ in
                let failures = try await pool.withConnection { connection in
                    try connection.withBinaryRows("SELECT 1::int4 AS small, NULL::uuid AS none, 'x'::text AS word") { rows in
                        [(try? rows.int(row: 0, column: 0)) == nil, (try? rows.uuid(row: 0, column: 1)) == nil,
                         (try? rows.date(row: 0, column: 2)) == nil, (try? rows.int(row: 1, column: 0)) == nil]
                    }
                }
                #expect(failures == [true, true, true, true])
            }
        }

        @Test func rowsKeptPastTheCallCannotBeRead() async throws {
            try await TestDatabase.with { pool, _ in
                let misuse = try await pool.withConnection { connection -> Bool in
                    let kept = try connection.withBinaryRows("SELECT 1::int8 AS n") { $0 }
                    do {
                        _ = try kept.int(row: 0, column: 0)
                        return false
                    } catch let error as PostgresError {
                        return error.kind == .configuration
                    }
                }
                #expect(misuse)
            }
        }
    }
}
