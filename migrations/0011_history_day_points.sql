-- Daily history points of whole past UTC days, kept once computed.
--
-- A day's point (the median of its hourly means, see HistoryQuery+Daily.swift) takes six
-- ordered-set aggregates over its hours. Over a year (8,760 rollup rows) the daily history
-- query took 19-25 ms on a 2-core machine, against a target of 25 ms at the p99 for the whole
-- request. A past day rarely changes: its point is computed once, kept here, and read back
-- (365 narrow rows for a year).
--
-- A kept point is forgotten in the transaction that stores a result of its day, so a kept
-- point is always the point of the day's results as committed:
-- - The service keeps only days before its yesterday (UTC), so the database's clock and the
--   service's may differ by up to a day.
-- - The trigger below forgets the kept points of every day before the database's today
--   (UTC) that a statement stores results of; results of today (the ingest's every upload)
--   cost it one look at the statement's rows and nothing more.
-- - Both sides take the site's advisory lock (HistoryDayLock) before they touch its kept
--   days: a read that computes and keeps points takes it before computing, so a result
--   stored meanwhile either committed first (and is in what it computes) or forgets the
--   point once the read committed.
CREATE TABLE history_days (
    site_id       uuid NOT NULL,
    -- The UTC midnight the day starts at (date_bin('1 day', …, '2000-01-01Z')).
    day           timestamptz NOT NULL,
    -- 0 for a day without results: kept too, so that a gap is not computed on every read.
    result_count  integer NOT NULL,
    verdict       text,
    score         integer,
    rtt_ms        double precision,
    jitter_ms     double precision,
    loss_pct      double precision,
    down_kbps     double precision,
    up_kbps       double precision,
    PRIMARY KEY (site_id, day)
);

-- 0007's rollup, and now the kept points of the days a statement's results fall in.
CREATE OR REPLACE FUNCTION result_hours_add() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    today timestamptz := date_bin('1 day', now(), timestamptz '2000-01-01T00:00:00Z');
BEGIN
    -- As in 0007.
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
    FROM new_rows AS r
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
        up_kbps_count = h.up_kbps_count + excluded.up_kbps_count;
    IF EXISTS (SELECT 1 FROM new_rows WHERE started_at < today) THEN
        -- The sites' history locks in the order of their keys (two statements cannot
        -- deadlock on them), then their kept points of the days these results fall in.
        PERFORM pg_advisory_xact_lock(1212765012, s.key)
        FROM (SELECT DISTINCT hashtext(site_id::text) AS key FROM new_rows WHERE started_at < today ORDER BY 1) AS s;
        DELETE FROM history_days AS k
        USING (SELECT DISTINCT site_id, date_bin('1 day', started_at, timestamptz '2000-01-01T00:00:00Z') AS day
               FROM new_rows WHERE started_at < today) AS n
        WHERE k.site_id = n.site_id AND k.day = n.day;
    END IF;
    RETURN NULL;
END;
$$;
