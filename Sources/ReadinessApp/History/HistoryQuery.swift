import Foundation
import HTTPServer
import Postgres

/// Reads a site's history, downsampled in SQL so a year of 5-minute results leaves the
/// database as 365 rows.
///
/// `raw` and `hour` read `results` itself (exact medians); migration 0005's covering index
/// `results_history_idx (site_id, started_at) INCLUDE (verdict, score, metrics…)` lets that
/// scan skip the heap and the jsonb bodies. `day` reads the hourly rollup of migration 0007
/// instead (see `HistoryQuery+Daily.swift`): a year is then 8,760 rows, not ~105k.
struct HistoryQuery: Sendable {
    /// A raw history longer than this must ask for a coarser bucket (422).
    static let maximumRawPoints = 10_000

    let database: PostgresPool
    /// The service's clock: which days are past enough to keep (`KeepableDays`).
    let now: Date

    func points(site: UUID, range: TimeRange, bucket: HistoryBucket) async throws -> [HistoryPoint] {
        switch bucket {
        case .raw: return try await raw(site: site, range: range)
        case .day: return try await daily(site: site, range: range)
        case .hour: return try await exact(site: site, range: range, width: "1 hour")
        }
    }

    /// A bucket's figures over the rows it groups (results, or a day's hourly means): the
    /// median score, round trip, jitter and loss, and the 10th percentile of each bandwidth
    /// ("a bad hour, not an average one").
    static let bucketFigures = """
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY score))::int AS score,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY rtt_ms) AS rtt_ms,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY jitter_ms) AS jitter_ms,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY loss_pct) AS loss_pct,
        percentile_cont(0.1) WITHIN GROUP (ORDER BY down_kbps) AS down_kbps,
        percentile_cont(0.1) WITHIN GROUP (ORDER BY up_kbps) AS up_kbps
        """

    /// Buckets of `width` over the results themselves: exact medians and 10th percentiles.
    private func exact(site: UUID, range: TimeRange, width: String) async throws -> [HistoryPoint] {
        // date_bin with a UTC-midnight origin gives UTC hours and days whatever the session's
        // TimeZone; the verdict rank maps back through the array (1-based).
        let rows = try await database.query(
            """
            SELECT date_bin(\(width)::interval, started_at, timestamptz '2000-01-01T00:00:00Z') AS at,
                   (ARRAY['not_ready','insufficient_data','minimal','optimal'])[min(
                       CASE verdict WHEN 'not_ready' THEN 1 WHEN 'insufficient_data' THEN 2
                                    WHEN 'minimal' THEN 3 ELSE 4 END)] AS verdict,
                   \(unsafeRaw: Self.bucketFigures),
                   count(*)::int AS result_count
            FROM results
            WHERE site_id = \(site) AND started_at >= \(range.from) AND started_at < \(range.to)
            GROUP BY 1 ORDER BY 1
            """, idempotent: true)
        return try rows.map(Self.point)
    }

    private func raw(site: UUID, range: TimeRange) async throws -> [HistoryPoint] {
        let rows = try await database.query(
            """
            SELECT started_at AS at, verdict, score, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, 1 AS result_count
            FROM results
            WHERE site_id = \(site) AND started_at >= \(range.from) AND started_at < \(range.to)
            ORDER BY started_at, run_id LIMIT \(Self.maximumRawPoints + 1)
            """, idempotent: true)
        guard rows.count <= Self.maximumRawPoints else {
            throw RequestBody.validationProblem([
                ("/query/bucket", "the range holds more than \(Self.maximumRawPoints) results; ask for bucket=hour or day, or a shorter range")
            ])
        }
        return try rows.map(Self.point)
    }

    static func point(_ row: PostgresRow) throws -> HistoryPoint {
        HistoryPoint(
            at: try row.decode(Date.self, column: "at"),
            verdict: try row.decode(String.self, column: "verdict"),
            score: try row.decode(Int?.self, column: "score"),
            rttMsP50: try row.decode(Double?.self, column: "rtt_ms"),
            jitterMsP50: try row.decode(Double?.self, column: "jitter_ms"),
            lossPctP50: try row.decode(Double?.self, column: "loss_pct"),
            downKbps: try row.decode(Double?.self, column: "down_kbps"),
            upKbps: try row.decode(Double?.self, column: "up_kbps"),
            resultCount: try row.decode(Int.self, column: "result_count"))
    }
}
