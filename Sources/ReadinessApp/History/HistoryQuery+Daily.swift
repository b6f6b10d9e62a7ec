import Foundation
import Postgres

extension HistoryQuery {
    /// Daily buckets from `result_hours` (migration 0007), the trigger-maintained hourly rollup.
    ///
    /// What a daily point holds (documented on ``HistoryPoint``):
    /// - `result_count` and `verdict` (the worst) are exact: counts add up and the minimum
    ///   rank of 24 hours is the minimum of the day.
    /// - `score`, `rtt_ms_p50`, `jitter_ms_p50`, `loss_pct_p50` are the median of the day's
    ///   hourly means. An exact median of 288 results would need every result (~105k rows a
    ///   year, ~100 ms); a median cannot be rolled up. The median of hourly means keeps the
    ///   property that matters here: one bad hour in a day does not move it.
    /// - `down_kbps`, `up_kbps` are the 10th percentile of the day's hourly means: "a bad
    ///   hour, not an average one", as before, now literally.
    ///
    /// The rollup holds whole UTC hours; a range that does not start or end on one (the
    /// default range ends now) takes its partial first and last hours from `results`, so the
    /// counts stay exact whatever the range.
    func daily(site: UUID, range: TimeRange) async throws -> [HistoryPoint] {
        let split = HourSplit(range)
        let rows = try await database.query(
            """
            WITH hours AS (
                SELECT h.hour, h.result_count, h.worst_rank,
                       h.score_sum::float8 / nullif(h.score_count, 0) AS score,
                       h.rtt_ms_sum / nullif(h.rtt_ms_count, 0) AS rtt_ms,
                       h.jitter_ms_sum / nullif(h.jitter_ms_count, 0) AS jitter_ms,
                       h.loss_pct_sum / nullif(h.loss_pct_count, 0) AS loss_pct,
                       h.down_kbps_sum / nullif(h.down_kbps_count, 0) AS down_kbps,
                       h.up_kbps_sum / nullif(h.up_kbps_count, 0) AS up_kbps
                FROM result_hours h
                WHERE h.site_id = \(site) AND h.hour >= \(split.firstHour) AND h.hour < \(split.endHour)
                UNION ALL
                SELECT date_bin('1 hour', r.started_at, timestamptz '2000-01-01T00:00:00Z'), count(*)::int,
                       min(CASE r.verdict WHEN 'not_ready' THEN 1 WHEN 'insufficient_data' THEN 2
                                          WHEN 'minimal' THEN 3 ELSE 4 END),
                       avg(r.score)::float8, avg(r.rtt_ms), avg(r.jitter_ms), avg(r.loss_pct), avg(r.down_kbps), avg(r.up_kbps)
                FROM results r
                WHERE r.site_id = \(site)
                  AND ((r.started_at >= \(range.from) AND r.started_at < \(split.headEnd))
                       OR (r.started_at >= \(split.tailStart) AND r.started_at < \(range.to)))
                GROUP BY 1
            )
            SELECT date_bin('1 day', hour, timestamptz '2000-01-01T00:00:00Z') AS at,
                   (ARRAY['not_ready','insufficient_data','minimal','optimal'])[min(worst_rank)] AS verdict,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY score))::int AS score,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY rtt_ms) AS rtt_ms,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY jitter_ms) AS jitter_ms,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY loss_pct) AS loss_pct,
                   percentile_cont(0.1) WITHIN GROUP (ORDER BY down_kbps) AS down_kbps,
                   percentile_cont(0.1) WITHIN GROUP (ORDER BY up_kbps) AS up_kbps,
                   sum(result_count)::int AS result_count
            FROM hours
            GROUP BY 1 ORDER BY 1
            """, idempotent: true)
        return try rows.map(Self.point)
    }
}
