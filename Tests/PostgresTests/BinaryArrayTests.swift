import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    /// Array cells read in binary form (`uuids`, `dates`, `forEachText`) against the real
    /// server: each element equals what the text form of the same statement decodes to.
    @Suite struct BinaryArrayTests {
        /// A site's window as the fleet preview asks for it: three arrays aggregated in one pass.
        static let aggregated: PostgresQuery = """
            CREATE TEMP TABLE window_rows AS
            SELECT array_agg(id) AS ids, array_agg(at) AS ats, array_agg(entry) AS entries
            FROM (SELECT n, gen_random_uuid() AS id, t AS at, CASE WHEN n % 2 = 0 THEN 'entry ' || n || ' ☕' END AS entry
                  FROM unnest(ARRAY[timestamptz '2026-12-05 11:20:30.123456+00', '1999-12-31 23:59:59.999999+00',
                                    '2000-01-01 00:00:00+00', '1969-07-20 20:17:40.5+00', 'infinity'])
                       WITH ORDINALITY AS s(t, n)) AS rows
            """

        @Test func elementsEqualTheTextFormOfTheSameArrays() async throws {
            try await TestDatabase.with { pool, _ in
                try await pool.withConnection { connection in
                    try connection.transaction { connection in
                        // One snapshot for both reads: the ids come from a table written first.
                        try connection.execute(Self.aggregated)
                        let text = try connection.query("SELECT ids::text[] AS ids FROM window_rows")
                        let expectedIDs = try #require(try text.first?.decode([String].self, column: "ids")).map { UUID(uuidString: $0) }
                        let expectedEntries = try connection.query("SELECT unnest(entries) AS entry FROM window_rows").map {
                            try $0.decode(String?.self, column: "entry")
                        }
                        let expectedDates = try connection.query("SELECT unnest(ats) AS at FROM window_rows").map { try $0.decode(Date.self, column: "at") }
                        try connection.withBinaryRows("SELECT ids, ats, entries FROM window_rows") { rows in
                            #expect(rows.count == 1)
                            #expect(try rows.uuids(row: 0, column: 0) == expectedIDs.compactMap { $0 })
                            #expect(try rows.uuids(row: 0, column: 0).count == 5)
                            let dates = try rows.dates(row: 0, column: 1)
                            #expect(dates == expectedDates)
                            #expect(dates.count == 5)
                            #expect(abs(dates[0].timeIntervalSince1970 - 1_796_469_630.123456) < 1e-6)
                            #expect(dates[3].timeIntervalSince1970 == -14_182_939.5)
                            var entries: [String?] = []
                            try rows.forEachText(row: 0, column: 2) { index, cell in
                                #expect(index == entries.count)
                                entries.append(cell.map { String(decoding: $0, as: UTF8.self) })
                            }
                            #expect(entries == expectedEntries)
                            #expect(entries == [nil, "entry 2 ☕", nil, "entry 4 ☕", nil])
                        }
                    }
                }
            }
        }

        @Test func aNullArrayIsEmptyAndAnEmptyArrayToo() async throws {
            try await TestDatabase.with { pool, _ in
                let counts = try await pool.withConnection { connection in
                    try connection.withBinaryRows("""
                        SELECT NULL::uuid[] AS none, '{}'::uuid[] AS empty, (SELECT array_agg(t) FROM unnest('{}'::timestamptz[]) AS t) AS aggregated
                        """) { rows in
                        [try rows.uuids(row: 0, column: 0).count, try rows.uuids(row: 0, column: 1).count, try rows.dates(row: 0, column: 2).count]
                    }
                }
                #expect(counts == [0, 0, 0])
            }
        }

        @Test func anotherTypeANullElementOrTwoDimensionsIsADecodingError() async throws {
            try await TestDatabase.with { pool, _ in
                let failures = try await pool.withConnection { connection in
                    try connection.withBinaryRows("""
                        SELECT ARRAY['x']::text[] AS words, ARRAY[NULL, gen_random_uuid()]::uuid[] AS holey,
                               ARRAY[ARRAY['a', 'b'], ARRAY['c', 'd']]::text[] AS square
                        """) { rows in
                        [(try? rows.uuids(row: 0, column: 0)) == nil, (try? rows.uuids(row: 0, column: 1)) == nil,
                         (try? rows.forEachText(row: 0, column: 2) { _, _ in }) == nil,
                         (try? rows.forEachText(row: 0, column: 0) { _, _ in }) != nil]
                    }
                }
                #expect(failures == [true, true, true, true])
            }
        }
    }
}
