import Foundation
import Postgres

/// `GET /v1/fleet/history` (openapi `FleetHistory`): per UTC bucket, how many non-archived
/// sites had each verdict at the bucket's end. A site's verdict then is the verdict of its
/// newest result before the end, if that result is inside its policy's freshness window;
/// otherwise the site is not counted. (Per-result verdicts stand in for the combined window
/// assessment, which is not stored per point in time.) Its shape is declared in `FleetHistory+JSON`.
struct FleetHistory: Sendable {
    var bucket: HistoryBucket
    var points: [Point]

    struct Point: Sendable, Equatable {
        var at: Date
        var optimal = 0
        var minimal = 0
        var notReady = 0
        var insufficientData = 0
    }

    /// Linear in the output: each site's last result per bucket is carried forward to the
    /// buckets it still decides (until the site's next result or the end of its freshness
    /// window), instead of joining every bucket with every result.
    static func load(range: TimeRange, bucket: HistoryBucket, database: PostgresPool) async throws -> FleetHistory {
        let step = bucket.interval ?? "1 day"
        let rows = try await database.query(
            """
            WITH lasts AS (
                SELECT DISTINCT ON (r.site_id, 2) r.site_id,
                       date_bin(\(step)::interval, r.started_at, timestamptz '2000-01-01T00:00:00Z') AS bucket_at,
                       r.started_at, r.verdict,
                       make_interval(secs => coalesce(p.freshness_window_s, 86400)) AS fresh_for
                FROM results r
                JOIN sites s ON s.id = r.site_id AND s.archived_at IS NULL
                LEFT JOIN policies p ON p.name = r.policy_name AND p.version = r.policy_version
                WHERE r.started_at < \(range.to)
                  AND r.started_at >= \(range.from)::timestamptz - (SELECT make_interval(secs => coalesce(max(freshness_window_s), 86400)) FROM policies)
                ORDER BY r.site_id, 2, r.started_at DESC
            ), spans AS (
                SELECT verdict, bucket_at,
                       least(lead(bucket_at) OVER (PARTITION BY site_id ORDER BY bucket_at) - \(step)::interval,
                             started_at + fresh_for - \(step)::interval,
                             \(range.to)::timestamptz - \(step)::interval) AS last_bucket
                FROM lasts
            )
            SELECT g.at, verdict, count(*)::int AS n
            FROM spans, generate_series(bucket_at, last_bucket, \(step)::interval) AS g(at)
            WHERE g.at >= date_bin(\(step)::interval, \(range.from), timestamptz '2000-01-01T00:00:00Z')
            GROUP BY g.at, verdict ORDER BY g.at
            """, idempotent: true)
        var points: [Point] = []
        for row in rows {
            let at = try row.decode(Date.self, column: "at")
            if points.last?.at != at { points.append(Point(at: at)) }
            let count = try row.decode(Int.self, column: "n")
            switch try row.decode(String.self, column: "verdict") {
            case "optimal": points[points.count - 1].optimal += count
            case "minimal": points[points.count - 1].minimal += count
            case "not_ready": points[points.count - 1].notReady += count
            default: points[points.count - 1].insufficientData += count
            }
        }
        return FleetHistory(bucket: bucket, points: points)
    }
}
