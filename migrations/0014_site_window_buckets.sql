-- Busy sites (issue 14): a site's window is rebuilt without reading a single result body.
--
-- 1. Each result's window entry: every rule's observation of the run under the policy version
--    that evaluated it (results.policy_name, policy_version) and the agent's hostname, a few
--    dozen bytes of text (`WindowEntry`). A window of up to 1,024 runs is rebuilt from these.
--    NULL for results stored before this migration: those are read from their bodies, once.
ALTER TABLE results ADD COLUMN window_entry text;

-- 2. A busy site's summarised window (more than 1,024 runs): 96 buckets per freshness window,
--    each a `WindowBucket` as JSON (counts, sums, 1 % log-bin sketches). Written in the same
--    statement as the site's assessment, for the buckets the group's runs went into, so a
--    restart loads at most a window's worth of small rows instead of every result.
CREATE TABLE site_window_buckets (
    site_id        uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    bucket         bigint NOT NULL,
    policy_name    text NOT NULL,
    policy_version integer NOT NULL,
    summary        text NOT NULL,
    PRIMARY KEY (site_id, bucket)
);

-- 3. Whether the stored buckets are the site's window: from this moment on they hold every
--    result of the site under the assessment's policy version. NULL when the window is held
--    run by run (or any other path wrote the assessment): the window is then rebuilt from the
--    results' window entries.
ALTER TABLE site_assessments ADD COLUMN summary_from timestamptz;
