-- Cheaper result inserts: bodies stored as the text they are, and no foreign-key checks on the
-- run_id claims.
--
-- Figures: PostgreSQL 15, 1000-row INSERT ... SELECT of bench-shaped rows (3.2 KB body text,
-- 1.4 KB compact evaluation), 50 runs each rolled back, before and after alternating in one
-- session; backend CPU per row (best sample of 10 runs), and WAL per row:
--                        before (0008)        after (0009)
--   results insert       65-68 us, 2.84 KB    30-38 us, 2.61 KB   (body jsonb -> json)
--   result_runs insert   19.4 us,  0.26 KB    2.4 us,   0.24 KB   (no foreign keys)

-- 1. `results.body` becomes `json`. jsonb parsed every body into a tree (sorting each object's
-- keys) on insert, and the service never used that tree: the body is only ever read back whole
-- (GET /v1/results/{run_id} splices it into the answer; the site assessment and the what-if
-- rescoring decode it in the service), and no SQL looks inside it. json checks that the text
-- is valid JSON and keeps it as given: the canonical JSON the service hashed and sends, byte
-- for byte, instead of jsonb's re-rendering of it.
--
-- The type change rewrites every partition once (and rebuilds their indexes) under an
-- exclusive lock; rows stored before keep their content as jsonb's text output, which is what
-- GET returned for them. It also resets each partition's compression to the server default,
-- and SET COMPRESSION does not recurse to partitions: so the rewrite runs with lz4 as that
-- default, and lz4 (0006) is then restated on the parent (for future partitions) and on each
-- partition. STORAGE MAIN (0008) is restated too; it recurses. A server built without lz4
-- keeps pglz: slower, never wrong.
DO $$
DECLARE
    partition regclass;
BEGIN
    BEGIN
        SET LOCAL default_toast_compression = 'lz4';
    EXCEPTION WHEN invalid_parameter_value OR feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server; result bodies stay compressed with pglz';
    END;
    ALTER TABLE results ALTER COLUMN body TYPE json USING body::json;
    ALTER TABLE results ALTER COLUMN body SET STORAGE MAIN;
    IF current_setting('default_toast_compression') = 'lz4' THEN
        ALTER TABLE results ALTER COLUMN body SET COMPRESSION lz4;
        FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'results'::regclass LOOP
            EXECUTE format('ALTER TABLE %s ALTER COLUMN body SET COMPRESSION lz4', partition);
        END LOOP;
    END IF;
END;
$$;

-- 2. result_runs loses its foreign keys to sites and agents. Each claimed run_id cost two
-- index lookups plus a KEY SHARE row lock on the site and on the agent. They guarded nothing the
-- service does not already guarantee:
-- - sites and agents are never deleted: archiving a site and revoking an agent are UPDATEs, and
--   no code path or migration deletes either;
-- - every write (the group statement and the per-upload savepoint path alike) first locks each
--   of its sites FOR NO KEY UPDATE in the same transaction and refuses an unknown or archived
--   site before anything is inserted;
-- - the agent id comes from the authenticated agent token, whose own agent_id references agents.
-- `results` has never had foreign keys (a partitioned table's rows referencing sites would cost
-- the same check per row).
ALTER TABLE result_runs DROP CONSTRAINT result_runs_site_id_fkey, DROP CONSTRAINT result_runs_agent_id_fkey;

-- Measured the same way and kept (no clear win, or not without changing behaviour):
-- - results_site_finished_idx: 0-4 us and 80 B of WAL per row. The assessment window is
--   bounded by finished_at, and nothing bounds a run's duration, so an index on started_at
--   (the primary key, results_history_idx) cannot serve it.
-- - results_history_idx folded into the primary key as INCLUDE columns: 1-3 us (within the
--   noise) and 77 B of WAL per row, for wider primary-key tuples on every lookup.
-- - the result_hours trigger's transition table: no CPU difference measurable, ~55 B of WAL
--   per row (the hourly upserts themselves).
