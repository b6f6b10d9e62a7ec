-- Indexes for the read side: a site's history and the fleet listing.

-- A site's history reads only these columns over a time range: with them in the index the
-- scan is index-only and never touches the heap (nor the jsonb bodies). A year of 5-minute
-- results as daily buckets then reads ~105k narrow index tuples. Created on the partitioned
-- parent, so every monthly partition, present and future, gets its own.
CREATE INDEX results_history_idx ON results (site_id, started_at)
    INCLUDE (verdict, score, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps);

-- The fleet listing walks non-archived sites in id order (keyset pagination) and filters
-- them; a partial index on id keeps archived sites out of that walk.
CREATE INDEX sites_active_id_idx ON sites (id) WHERE archived_at IS NULL;
