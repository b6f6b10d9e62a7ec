-- Two read-side fixes around staleness.
--
-- 1. Each policy's freshness window as a column. Every stale test (fleet listing and summary,
--    site listing, fleet history) read it as `(p.document->>'freshness_window_s')::float8`,
--    which fetches and decompresses the whole policy document (several KB, TOASTed) once per
--    joined row: once per site in the fleet summary's stale list, once per result in the fleet
--    history. Measured over 10,000 sites on PostgreSQL 15: the summary's stale query took 95 ms
--    that way and 9 ms reading this column. Generated, so it can never disagree with the
--    document; NULL where the document has none (readers default to 24 h, as before).
ALTER TABLE policies ADD COLUMN freshness_window_s double precision
    GENERATED ALWAYS AS ((document->>'freshness_window_s')::float8) STORED;

-- 2. No index on site_assessments.newest_result_at. No query could use it: a site is stale
--    when newest_result_at is older than *its policy's* window, a bound that differs per row,
--    so every stale filter is evaluated on the joined rows (and the plans never chose it). It
--    cost every upload dearly: newest_result_at changes with each newer result, and an update
--    that changes an indexed column cannot be HOT, so each site's assessment update inserted
--    into all four of the table's indexes (the GIN on finding_codes among them). Without it, an
--    update that leaves verdict and finding codes alone can be HOT.
DROP INDEX site_assessments_newest_idx;
