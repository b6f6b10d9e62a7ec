-- Results as uploaded, their assessments, each site's current assessment, and what changed.

-- run_id is the idempotency key across all time, but `results` is partitioned by time and a
-- partitioned table's unique keys must contain the partition key: this small table holds it.
CREATE TABLE result_runs (
    run_id        uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    agent_id      uuid REFERENCES agents (id),
    -- SHA-256 of the result's canonical JSON: the same run_id with other content is a 409.
    content_hash  bytea NOT NULL CHECK (length(content_hash) = 32),
    started_at    timestamptz NOT NULL,
    received_at   timestamptz NOT NULL
);

CREATE TABLE results (
    run_id          uuid NOT NULL,
    site_id         uuid NOT NULL,
    agent_id        uuid,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    body            jsonb NOT NULL,
    -- The assessment of this one result under the site's policy when it arrived.
    policy_name     text NOT NULL,
    policy_version  integer NOT NULL,
    verdict         text NOT NULL,
    score           integer,
    mos             double precision,
    transport       text,
    rtt_ms          double precision,
    jitter_ms       double precision,
    loss_pct        double precision,
    down_kbps       double precision,
    up_kbps         double precision,
    assessment      jsonb NOT NULL,
    PRIMARY KEY (site_id, started_at, run_id)
) PARTITION BY RANGE (started_at);

-- Monthly partitions, created on first use. Two replicas may race to create the same month;
-- the loser's duplicate_table is the winner's success.
CREATE FUNCTION ensure_results_partition(at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    partition_name text := 'results_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN;
    END IF;
    EXECUTE format(
        'CREATE TABLE %I PARTITION OF results FOR VALUES FROM (%L) TO (%L)',
        partition_name, month_start, month_start + interval '1 month');
EXCEPTION WHEN duplicate_table THEN
    NULL;
END;
$$;

-- Each site's assessment now, rewritten in the transaction that stores a result.
CREATE TABLE site_assessments (
    site_id           uuid PRIMARY KEY REFERENCES sites (id),
    policy_name       text NOT NULL,
    policy_version    integer NOT NULL,
    verdict           text NOT NULL,
    score             integer,
    -- Codes of findings that warn or fail: the fleet view filters on them.
    finding_codes     text[] NOT NULL DEFAULT '{}',
    newest_result_at  timestamptz,
    assessment        jsonb NOT NULL,
    etag              text NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX site_assessments_verdict_idx ON site_assessments (verdict, site_id);
CREATE INDEX site_assessments_codes_idx ON site_assessments USING gin (finding_codes);
CREATE INDEX site_assessments_newest_idx ON site_assessments (newest_result_at);

-- Verdict transitions and findings that appeared or cleared, in order of arrival.
CREATE TABLE site_changes (
    id            bigserial PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    at            timestamptz NOT NULL,
    run_id        uuid,
    kind          text NOT NULL CHECK (kind IN ('verdict_changed', 'finding_appeared', 'finding_cleared', 'finding_changed')),
    code          text,
    rule_id       text,
    from_verdict  text,
    to_verdict    text,
    from_status   text,
    to_status     text
);
CREATE INDEX site_changes_site_idx ON site_changes (site_id, id DESC);
