-- Documents the service only stores and serves back stop being jsonb.
--
-- Every stored result handed PostgreSQL ~21 KB of JSON to parse into jsonb (sorting every
-- object's keys) and to compress: the 2.4 KB body, an 8.6 KB evaluation and ~0.9 rewrites of
-- the 10 KB site assessment. Nothing queries into the evaluation or the assessment; they are
-- read back whole and decoded by the service. From now on both are stored as text in a compact
-- form (ReadinessDomain/Compact): each rule's statuses and observations, without the texts and
-- thresholds the policy version they name already holds, which the service joins back when it
-- reads them. The result body stays jsonb.

-- The compact evaluation of each new result. Rows stored before keep their full evaluation in
-- `assessment`, now nullable: a row has one or the other (new rows leave `assessment` NULL),
-- and readers take whichever is there. Adding a nullable column and dropping NOT NULL change
-- only the catalog; no partition is rewritten.
ALTER TABLE results ADD COLUMN evaluation text;
ALTER TABLE results ALTER COLUMN assessment DROP NOT NULL;

-- The columns the fleet views read from the current assessment, so they no longer look into
-- the document; filled from the jsonb before it turns into text. The fleet listing filters on
-- verdict and finding_codes, which were columns already. MOS was a figure object in the
-- domain's form (a bare number in older rows); either is read.
ALTER TABLE site_assessments ADD COLUMN transport text, ADD COLUMN mos double precision;
UPDATE site_assessments SET
    transport = assessment->>'transport',
    mos = CASE jsonb_typeof(assessment->'mos')
        WHEN 'number' THEN (assessment->>'mos')::float8
        WHEN 'object' THEN (assessment->'mos'->>'value')::float8
    END;

-- Existing assessments keep their content as jsonb's text output (the service reads either
-- form) and their ETags, which stay valid names for those versions. One row per site: the
-- rewrite this needs is small.
ALTER TABLE site_assessments ALTER COLUMN assessment TYPE text USING assessment::text;

-- A compact assessment is ~3 KB: let the row hold it as it is instead of compressing it (or
-- moving it to the TOAST table) on every rewrite, as happens by default above ~2 KB. Larger
-- documents (policies with many more rules) are still compressed.
ALTER TABLE site_assessments SET (toast_tuple_target = 8160);

-- A result row (body ~3.5 KB as jsonb, compact evaluation ~1.7 KB) passed the ~2 KB TOAST
-- threshold even compressed, so every insert also wrote the body to the TOAST table and its
-- index. MAIN keeps both compressed values in the row (out of line only if a row would not fit
-- a page at all). On the partitioned parent the setting applies to every partition, present
-- and future.
ALTER TABLE results ALTER COLUMN body SET STORAGE MAIN, ALTER COLUMN evaluation SET STORAGE MAIN;

-- Both text columns compress with lz4 when they do (see 0006), pglz without it.
DO $$
BEGIN
    ALTER TABLE results ALTER COLUMN evaluation SET COMPRESSION lz4;
    ALTER TABLE site_assessments ALTER COLUMN assessment SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server; stored documents stay compressed with pglz';
END;
$$;
