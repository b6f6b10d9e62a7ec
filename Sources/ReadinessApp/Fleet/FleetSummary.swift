import Foundation
import Postgres

/// `GET /v1/fleet/summary` (openapi `FleetSummary`); its shape is declared in
/// `FleetSummary+JSON`.
struct FleetSummary: Sendable {
    static let topFindingLimit = 10
    static let sitesPerFinding = 20
    static let staleSiteLimit = 100

    var siteCount: Int
    var byVerdict: [String: Int]
    var topFindings: [TopFinding]
    var staleSites: [StaleSite]

    struct TopFinding: Sendable {
        var code: String
        var siteCount: Int
        var siteIDs: [String]
    }

    struct StaleSite: Sendable {
        var id: String
        var name: String
        /// Nil for a site that never uploaded.
        var newestResultAt: Date?
    }

    /// Three small aggregate queries over the non-archived sites. Finding counts use the
    /// stored `finding_codes` (warn or fail) of every site, stale ones included, the same
    /// rule as the listing's `finding` filter.
    static func load(now: Date, database: PostgresPool) async throws -> FleetSummary {
        let stale = FleetQuery.staleExpression(now: "$1")
        let byVerdict = try await verdictCounts(now: now, database: database)

        let findings = try await database.query(
            """
            SELECT code, count(*)::int AS n, (array_agg(s.id::text ORDER BY s.id))[1:\(sitesPerFinding)] AS site_ids
            FROM sites s JOIN site_assessments a ON a.site_id = s.id, unnest(a.finding_codes) AS code
            WHERE s.archived_at IS NULL
            GROUP BY code ORDER BY n DESC, code LIMIT \(topFindingLimit)
            """, idempotent: true)
        let top = try findings.map { row in
            TopFinding(
                code: try row.decode(String.self, column: "code"), siteCount: try row.decode(Int.self, column: "n"),
                siteIDs: try row.decode([String].self, column: "site_ids"))
        }

        let staleRows = try await database.query(
            """
            SELECT s.id, s.name, a.newest_result_at FROM \(unsafeRaw: FleetQuery.from)
            WHERE \(now)::timestamptz IS NOT NULL AND s.archived_at IS NULL AND \(unsafeRaw: stale)
            ORDER BY a.newest_result_at ASC NULLS FIRST, s.id LIMIT \(staleSiteLimit)
            """, idempotent: true)
        let staleSites = try staleRows.map { row in
            StaleSite(
                id: try row.decode(String.self, column: "id"),  // uuid_out: lower-case 8-4-4-4-12
                name: try row.decode(String.self, column: "name"),
                newestResultAt: try row.decode(Date?.self, column: "newest_result_at"))
        }
        return FleetSummary(
            siteCount: byVerdict.values.reduce(0, +), byVerdict: byVerdict, topFindings: top, staleSites: staleSites)
    }

    /// The non-archived sites by verdict, `stale` for those past their freshness window; every
    /// verdict present, 0 when no site has it. One aggregate over the sites' current assessments:
    /// its cost follows the sites, never the results.
    static func verdictCounts(now: Date, database: PostgresPool) async throws -> [String: Int] {
        let stale = FleetQuery.staleExpression(now: "$1")
        let counts = try await database.query(
            """
            SELECT CASE WHEN \(unsafeRaw: stale) THEN 'stale' ELSE a.verdict END AS verdict, count(*)::int AS n
            FROM \(unsafeRaw: FleetQuery.from)
            WHERE \(now)::timestamptz IS NOT NULL AND s.archived_at IS NULL GROUP BY 1
            """, idempotent: true)
        var byVerdict = Dictionary(uniqueKeysWithValues: FleetFilter.verdicts.map { ($0, 0) })
        for row in counts { byVerdict[try row.decode(String.self, column: "verdict"), default: 0] += try row.decode(Int.self, column: "n") }
        return byVerdict
    }
}
