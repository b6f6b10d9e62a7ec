-- Webhook events into the outbox (issue 16), in the transaction of the change that causes them.
--
-- Every writer of `site_changes` (the group-commit writer's set-based statement, the
-- per-upload path, a re-score after a site's policy changed) gets its events from one
-- statement-level trigger, with no code of its own: an event exists if and only if its change
-- committed. `site.stale` and `site.fresh` come from the staleness sweep
-- (Webhooks/Events/StalenessSweep.swift), which uses the same filter function.
--
-- Which change makes which event:
--   verdict_changed   -> site.verdict_changed
--   finding_appeared  -> site.finding_appeared  (pass or absent -> warn, fail or unknown)
--   finding_cleared   -> site.finding_cleared   (warn, fail or unknown -> pass or absent)
--   finding_changed   -> site.finding_appeared when it turns `fail` from `warn` or `unknown`
--                        (the finding now blocks a tier: a receiver keyed on site and code,
--                        as a PagerDuty dedup_key is, updates its one open incident); any
--                        other change of a finding that stays a problem (fail -> warn,
--                        warn -> unknown, ...) makes no event.
--
-- Filters (README, "Webhooks"): NULL matches every value; a list matches when any value in it
-- does; every filter given must match.
--   site_ids       the event's site
--   regions        the site's region (a site without a region matches no list)
--   tags           the site's tags share at least one with the list
--   verdicts       site.verdict_changed: the verdict before or after; site.stale: `stale` or the
--                  verdict it had; site.fresh: `stale` or the verdict it has again; findings:
--                  the site's verdict after the change
--   finding_codes  finding events: the finding's code; other events are not about one finding
--                  and pass
--   tiers_blocked  findings appearing: the tier the finding blocks now (its `blocks`: `minimal`
--                  means not ready, `optimal` at most minimal; a warning blocks none and does
--                  not match); findings clearing: a tier the rule gates (one it could have
--                  blocked); verdict changes: the tier the verdict before or after blocks
--                  (`not_ready` -> minimal, `minimal` -> optimal); stale and fresh pass

-- What the sweep knew when it enqueued `site.stale` / `site.fresh` (stale_since, the newest
-- result, the freshness window, the verdict): the staleness mark is gone once the site is
-- fresh, so the event keeps it. NULL for events caused by a `site_changes` row (`change_id`
-- names it) and for pings.
ALTER TABLE webhook_events ADD COLUMN detail jsonb;

-- RFC 3339 in UTC with milliseconds, as the API writes times, for `detail`.
CREATE FUNCTION webhook_time(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The filters every producer of events applies but tiers_blocked, which only the change
-- trigger can decide (and only reads the assessment for when a subscription asks). Inlined
-- by the planner: one SQL expression.
CREATE FUNCTION webhook_filters_match(
    w webhooks, site uuid, region text, tags text[], verdicts text[], code text
) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (w.site_ids IS NULL OR coalesce(site = ANY (w.site_ids), false))
       AND (w.regions IS NULL OR coalesce(region = ANY (w.regions), false))
       AND (w.tags IS NULL OR coalesce(tags && w.tags, false))
       AND (w.verdicts IS NULL OR coalesce(verdicts && w.verdicts, false))
       AND (w.finding_codes IS NULL OR code IS NULL OR coalesce(code = ANY (w.finding_codes), false))
$$;

-- The event a `site_changes` row makes, or NULL for none (see above).
CREATE FUNCTION webhook_event_type(kind text, from_status text, to_status text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind
        WHEN 'verdict_changed' THEN 'site.verdict_changed'
        WHEN 'finding_appeared' THEN 'site.finding_appeared'
        WHEN 'finding_cleared' THEN 'site.finding_cleared'
        WHEN 'finding_changed' THEN
            CASE WHEN to_status = 'fail' AND from_status IS DISTINCT FROM 'fail' THEN 'site.finding_appeared' END
    END
$$;

-- The lowest tier a verdict says is out of reach, in the vocabulary of a finding's `blocks`.
CREATE FUNCTION webhook_verdict_blocks(verdict text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE verdict WHEN 'not_ready' THEN 'minimal' WHEN 'minimal' THEN 'optimal' END
$$;

-- The tiers a finding event concerns, read from the site's stored assessment (the compact
-- form keeps each gated tier's status under `minimal` / `optimal`; rows written before it
-- carry `blocks` and `tiers`): for an appearing finding the tier it blocks, for a clearing one
-- the tiers its rule gates. NULL when the rule is not in the assessment: it cannot be told,
-- and the tiers_blocked filter lets the event through.
CREATE FUNCTION webhook_finding_tiers(assessment text, rule text, event_type text)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN f IS NULL THEN NULL
        WHEN event_type = 'site.finding_cleared' THEN array_remove(ARRAY[
            CASE WHEN f ? 'minimal' OR f -> 'tiers' @> '[{"tier": "minimal"}]' THEN 'minimal' END,
            CASE WHEN f ? 'optimal' OR f -> 'tiers' @> '[{"tier": "optimal"}]' THEN 'optimal' END], NULL)
        ELSE array_remove(ARRAY[coalesce(f ->> 'blocks',
            CASE WHEN f ->> 'minimal' = 'fail' THEN 'minimal' WHEN f ->> 'optimal' = 'fail' THEN 'optimal' END)], NULL)
    END
    FROM (SELECT (SELECT e FROM jsonb_array_elements(assessment::jsonb -> 'findings') e
                  WHERE e ->> 'rule_id' = rule LIMIT 1) AS f) finding
$$;

-- One event per new change row and enabled subscription that wants it, in change order (the
-- outbox's ids follow, and delivery keeps a site's events in id order per subscription).
-- With no enabled subscription it costs one look at a table of no rows per statement.
CREATE FUNCTION enqueue_webhook_events_for_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhooks WHERE enabled) THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_events (webhook_id, message_id, type, site_id, change_id, occurred_at)
    SELECT w.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.type, c.site_id, c.id, c.at
    FROM new_changes c
    CROSS JOIN LATERAL (SELECT webhook_event_type(c.kind, c.from_status, c.to_status) AS type) e
    JOIN sites s ON s.id = c.site_id
    LEFT JOIN site_assessments a ON a.site_id = c.site_id
    JOIN webhooks w ON w.enabled AND e.type = ANY (w.event_types)
    WHERE webhook_filters_match(w, c.site_id, s.region, s.tags,
              CASE WHEN c.kind = 'verdict_changed' THEN ARRAY[c.from_verdict, c.to_verdict] ELSE ARRAY[a.verdict] END,
              CASE WHEN c.kind = 'verdict_changed' THEN NULL ELSE c.code END)
      -- Left to right: the assessment is parsed only for a subscription that filters on tiers.
      AND (w.tiers_blocked IS NULL
           OR CASE WHEN c.kind = 'verdict_changed'
                   THEN ARRAY[webhook_verdict_blocks(c.from_verdict), webhook_verdict_blocks(c.to_verdict)] && w.tiers_blocked
                   ELSE coalesce(webhook_finding_tiers(a.assessment, c.rule_id, e.type) && w.tiers_blocked, true)
              END)
    ORDER BY c.id, w.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER site_changes_webhook_events
    AFTER INSERT ON site_changes
    REFERENCING NEW TABLE AS new_changes
    FOR EACH STATEMENT EXECUTE FUNCTION enqueue_webhook_events_for_changes();
