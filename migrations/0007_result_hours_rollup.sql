-- An hourly rollup of `results` for the daily history of a site.
--
-- A year of 5-minute results is ~105k rows; aggregating them with percentiles on every daily
-- history request took ~100 ms. The rollup holds one row per site and UTC hour (8,760 a year),
-- so a day is the sum of 24 rows.
--
-- Only additive figures are kept (counts, sums, the worst verdict): two transactions storing
-- results of the same site and hour then both add to the row, in whichever order they commit,
-- and neither overwrites the other. A median is not additive, so the daily history reports the
-- median of the day's hourly means instead (see HistoryQuery.swift); `hour` and `raw` history
-- still read the results themselves and report exact medians.

CREATE TABLE result_hours (
    site_id          uuid NOT NULL,
    -- date_bin('1 hour', started_at, '2000-01-01Z'): the UTC hour the results started in.
    hour             timestamptz NOT NULL,
    result_count     integer NOT NULL,
    -- 1 not_ready, 2 insufficient_data, 3 minimal, 4 optimal (any other verdict): the lowest.
    worst_rank       smallint NOT NULL,
    -- Sum and count of each figure's non-null values: count 0 means unmeasured all hour.
    score_sum        bigint NOT NULL,
    score_count      integer NOT NULL,
    rtt_ms_sum       double precision NOT NULL,
    rtt_ms_count     integer NOT NULL,
    jitter_ms_sum    double precision NOT NULL,
    jitter_ms_count  integer NOT NULL,
    loss_pct_sum     double precision NOT NULL,
    loss_pct_count   integer NOT NULL,
    down_kbps_sum    double precision NOT NULL,
    down_kbps_count  integer NOT NULL,
    up_kbps_sum      double precision NOT NULL,
    up_kbps_count    integer NOT NULL,
    PRIMARY KEY (site_id, hour)
-- A row is rewritten once per result of its hour (12 times at a 5-minute cadence), never by a
-- key column: free space on the page lets those be HOT updates that leave the index alone.
) WITH (fillfactor = 70);

-- Adds a statement's new results to their hours, in the statement's transaction, so the
-- rollup commits (or rolls back) with the results and the ingest code needs no change.
-- Statement level with a transition table: one upsert per statement whatever its row count
-- (the ingest inserts one row per statement; fixtures and backfills insert many at once).
-- Rows are upserted in key order so two multi-hour statements cannot deadlock on each other.
CREATE FUNCTION result_hours_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The same aggregate as the backfill at the end of this file (a transition table is
    -- visible to this function's statements only, so the two cannot share a function).
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
    RETURN NULL;
END;
$$;

-- On the partitioned parent: PostgreSQL allows transition tables on a partitioned table's
-- statement triggers (not on a partition's), and new_rows holds the rows routed to every
-- partition. Results are never updated or deleted by the application, so only INSERT is
-- tracked.
CREATE TRIGGER results_roll_up_hours
    AFTER INSERT ON results
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION result_hours_add();

-- Results stored before this migration. CREATE TRIGGER above waited for any transaction that
-- was inserting results and blocks new ones until this migration commits, so every result is
-- counted exactly once: here, or by the trigger.
INSERT INTO result_hours
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
FROM results AS r
GROUP BY 1, 2;
