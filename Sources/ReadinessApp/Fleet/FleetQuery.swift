import Foundation
import Postgres

/// The SQL behind the fleet views. Every non-archived site appears, with or without an
/// assessment row; a site is stale when its newest result is older than its policy's
/// freshness window (default 24 h, readiness-policy.md) or it has none.
enum FleetQuery {
    /// Sites joined to their current assessment and the freshness window of the policy
    /// version that assessed them. `policies` is a handful of rows: a hash join.
    static let from = """
        sites s
        LEFT JOIN site_assessments a ON a.site_id = s.id
        LEFT JOIN policies p ON p.name = a.policy_name AND p.version = a.policy_version
        """

    /// Whether a row of ``from`` is stale at `$now` (bound as the first use of `now`).
    static func staleExpression(now: String) -> String {
        """
        (a.newest_result_at IS NULL OR a.newest_result_at < \(now)::timestamptz
            - make_interval(secs => coalesce(p.freshness_window_s, 86400)))
        """
    }

    /// MOS and transport are columns the writer fills beside the stored document (0008), so
    /// a page never looks into the documents.
    static let columns = """
        s.id, s.name, s.region, a.verdict, a.score, a.newest_result_at,
        coalesce(a.finding_codes, '{}') AS finding_codes, a.transport, a.mos
        """

    /// One page ordered by site id. Filters are bound as NULL when absent: libpq's unnamed
    /// statements are planned with the actual values, so `$n IS NULL` folds away and each
    /// filter's index (verdict, region, tags GIN, finding_codes GIN) stays usable.
    static func page(_ filter: FleetFilter, after: UUID?, limit: Int, now: Date, database: PostgresPool) async throws -> [FleetAssessment] {
        let wantStale: Bool? = filter.verdict == "stale" ? true : filter.verdict != nil ? false : nil
        let verdict = filter.verdict == "stale" ? nil : filter.verdict
        let rows = try await database.query(
            """
            SELECT \(unsafeRaw: columns), \(unsafeRaw: staleExpression(now: "$1")) AS stale
            FROM \(unsafeRaw: from)
            WHERE \(now)::timestamptz IS NOT NULL AND s.archived_at IS NULL
              AND (\(after)::uuid IS NULL OR s.id > \(after))
              AND (\(verdict)::text IS NULL OR a.verdict = \(verdict))
              AND (\(filter.region)::text IS NULL OR s.region = \(filter.region))
              AND (\(filter.tag)::text IS NULL OR s.tags @> ARRAY[\(filter.tag)::text])
              AND (\(filter.finding)::text IS NULL OR a.finding_codes @> ARRAY[\(filter.finding)::text])
              AND (\(wantStale)::bool IS NULL OR \(unsafeRaw: staleExpression(now: "$1")) = \(wantStale))
              AND (\(filter.stale)::bool IS NULL OR \(unsafeRaw: staleExpression(now: "$1")) = \(filter.stale))
            ORDER BY s.id LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(FleetAssessment.init(row:))
    }
}
