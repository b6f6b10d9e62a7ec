/// The hourly rollup (`result_hours`, migration 0007) kept by the statements that store
/// results, in the same statement: migration 0010 dropped the trigger that did it. Both writers
/// (the group statement, the per-upload savepoint path) and the test seeders splice these two
/// fragments around a row source of their own, so the aggregate is written once.
///
/// Usage: `\(unsafeRaw: ResultHoursRollup.insert) FROM <source> AS r(…) \(unsafeRaw: ResultHoursRollup.merge)`,
/// where the source has the columns `site_id, started_at, verdict, score, rtt_ms, jitter_ms,
/// loss_pct, down_kbps, up_kbps` (any order; they are named). Only those nine: a source built
/// from the inserted rows would carry (and copy) their bodies.
enum ResultHoursRollup {
    /// One row per site and UTC hour of the source: counts, sums and the worst verdict's rank
    /// (1 not_ready, 2 insufficient_data, 3 minimal, 4 any other), as 0007 defines them.
    static let insert = """
        INSERT INTO result_hours AS h
        SELECT r.site_id, date_bin('1 hour', r.started_at, timestamptz '2000-01-01T00:00:00Z'),
               count(*)::int,
               min(CASE r.verdict WHEN 'not_ready' THEN 1 WHEN 'insufficient_data' THEN 2
                                  WHEN 'minimal' THEN 3 ELSE 4 END)::smallint,
               coalesce(sum(r.score), 0), count(r.score)::int,
               coalesce(sum(r.rtt_ms), 0), count(r.rtt_ms)::int,
               coalesce(sum(r.jitter_ms), 0), count(r.jitter_ms)::int,
               coalesce(sum(r.loss_pct), 0), count(r.loss_pct)::int,
               coalesce(sum(r.down_kbps), 0), count(r.down_kbps)::int,
               coalesce(sum(r.up_kbps), 0), count(r.up_kbps)::int
        """

    /// Adds to an existing hour instead of replacing it: two transactions storing results of one
    /// hour both add, in whichever order they commit. Rows are upserted in key order so that two
    /// multi-hour statements cannot deadlock on each other (the writers also lock their sites
    /// first, in id order).
    static let merge = """
        GROUP BY 1, 2
        ORDER BY 1, 2
        ON CONFLICT (site_id, hour) DO UPDATE SET
            result_count = h.result_count + excluded.result_count,
            worst_rank = least(h.worst_rank, excluded.worst_rank),
            score_sum = h.score_sum + excluded.score_sum,
            score_count = h.score_count + excluded.score_count,
            rtt_ms_sum = h.rtt_ms_sum + excluded.rtt_ms_sum,
            rtt_ms_count = h.rtt_ms_count + excluded.rtt_ms_count,
            jitter_ms_sum = h.jitter_ms_sum + excluded.jitter_ms_sum,
            jitter_ms_count = h.jitter_ms_count + excluded.jitter_ms_count,
            loss_pct_sum = h.loss_pct_sum + excluded.loss_pct_sum,
            loss_pct_count = h.loss_pct_count + excluded.loss_pct_count,
            down_kbps_sum = h.down_kbps_sum + excluded.down_kbps_sum,
            down_kbps_count = h.down_kbps_count + excluded.down_kbps_count,
            up_kbps_sum = h.up_kbps_sum + excluded.up_kbps_sum,
            up_kbps_count = h.up_kbps_count + excluded.up_kbps_count
        """
}
