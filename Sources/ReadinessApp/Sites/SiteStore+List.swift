import Foundation
import Postgres

extension SiteStore {
    /// The freshness window when a site's policy cannot be found (readiness-policy.md: 24 h).
    static let defaultFreshnessWindowS = 86_400.0

    /// One page of sites in id order after `after` (keyset pagination: rows inserted during a
    /// walk never shift a page). Fetches `limit + 1` rows so the caller knows whether more follow.
    ///
    /// Staleness: a site is stale when it has no current assessment, or its newest result is
    /// older than the freshness window of the policy it follows (the pinned version, or the
    /// newest one); `verdict=stale` selects those, any other verdict only sites that are not stale.
    func list(_ filter: SiteListFilter, after: UUID?, limit: Int, now: Date) async throws -> [SiteRecord] {
        let verdict = filter.verdict?.rawValue
        let rows = try await database.query(
            """
            SELECT \(unsafeRaw: SiteRecord.columns) FROM (
                SELECT s.*, a.verdict AS current_verdict,
                       (a.newest_result_at IS NULL
                        OR a.newest_result_at < \(now) - make_interval(secs => coalesce(p.window_s, \(Self.defaultFreshnessWindowS))))
                       AS is_stale
                FROM sites s
                LEFT JOIN site_assessments a ON a.site_id = s.id
                LEFT JOIN LATERAL (
                    SELECT freshness_window_s AS window_s FROM policies
                    WHERE name = s.policy_name AND (s.policy_version IS NULL OR version = s.policy_version)
                    ORDER BY version DESC LIMIT 1
                ) p ON true
                WHERE (\(after) IS NULL OR s.id > \(after))
                  AND (\(filter.includeArchived) OR s.archived_at IS NULL)
                  AND (\(filter.region) IS NULL OR s.region = \(filter.region))
                  AND (\(filter.tag) IS NULL OR s.tags @> ARRAY[\(filter.tag)])
            ) site
            WHERE (\(filter.stale) IS NULL OR is_stale = \(filter.stale))
              AND (\(verdict) IS NULL
                   OR (\(verdict) = 'stale' AND is_stale)
                   OR (NOT is_stale AND current_verdict = \(verdict)))
            ORDER BY id
            LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(SiteRecord.init(row:))
    }
}
