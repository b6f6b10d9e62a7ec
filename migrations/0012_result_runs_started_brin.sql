-- Retention (READINESS_RETENTION_DAYS) deletes the run_id claims of results older than the
-- retention period, by `started_at`, a batch at a time. Claims arrive roughly in started_at
-- order, so a BRIN index finds them for a few pages of index and costs uploads next to
-- nothing, where a B-tree would add an index entry to every upload.
CREATE INDEX result_runs_started_brin ON result_runs USING brin (started_at);
