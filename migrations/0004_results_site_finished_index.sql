-- The current assessment is recomputed over a site's results that finished inside the policy's
-- freshness window; results' primary key is ordered by started_at, which cannot bound that.
CREATE INDEX results_site_finished_idx ON results (site_id, finished_at);
