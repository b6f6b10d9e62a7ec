-- Webhooks (issue 16): subscriptions, the transactional outbox and the delivery log.
--
-- An event exists if and only if the change that causes it committed: rows of
-- `webhook_events` are written in the same transaction as the `site_changes` row (or the
-- staleness mark) they come from, one row per matching subscription. Every replica
-- delivers: a worker claims due rows with FOR UPDATE SKIP LOCKED, so each attempt happens
-- once, and takes a row only when no older pending row of the same subscription and site
-- exists, so one site's events reach one subscriber in order.

CREATE TABLE webhooks (
    id                          uuid PRIMARY KEY,
    name                        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    url                         text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    format                      text NOT NULL CHECK (format IN ('standard', 'pagerduty')),
    -- Event types wanted ('site.verdict_changed', ...); never empty.
    event_types                 text[] NOT NULL CHECK (cardinality(event_types) >= 1),
    -- Filters: NULL matches every value.
    site_ids                    uuid[],
    regions                     text[],
    tags                        text[],
    verdicts                    text[],
    finding_codes               text[],
    tiers_blocked               text[],
    -- `standard`: the signing secret (whsec_ + base64); `pagerduty`: the routing key.
    -- Never returned by the API after creation, never logged.
    secret                      text NOT NULL,
    -- During a rotation the old secret still signs until it expires (both signatures sent).
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    enabled                     boolean NOT NULL DEFAULT true,
    disabled_reason             text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per event per subscription.
CREATE TABLE webhook_events (
    id               bigserial PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    -- The `webhook-id` header (Standard Webhooks): stable across retries and redeliveries.
    message_id       text NOT NULL UNIQUE,
    type             text NOT NULL CHECK (type IN ('site.verdict_changed', 'site.finding_appeared',
                         'site.finding_cleared', 'site.stale', 'site.fresh', 'ping')),
    site_id          uuid REFERENCES sites (id),
    -- The site_changes row that caused it (NULL for stale, fresh and ping).
    change_id        bigint,
    occurred_at      timestamptz NOT NULL,
    -- The body sent, frozen at the first attempt so every retry signs the same bytes.
    payload          jsonb,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_events_order_idx ON webhook_events (webhook_id, site_id, id) WHERE state = 'pending';
CREATE INDEX webhook_events_webhook_idx ON webhook_events (webhook_id, id DESC);

-- The delivery log: every attempt, kept for the deliveries listing.
CREATE TABLE webhook_attempts (
    id               bigserial PRIMARY KEY,
    event_id         bigint NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    attempted_at     timestamptz NOT NULL,
    -- The receiver's status, or NULL with `error` naming the transport failure.
    status_code      integer,
    error            text,
    duration_ms      integer NOT NULL,
    outcome          text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'disabled')),
    next_attempt_at  timestamptz
);
CREATE INDEX webhook_attempts_webhook_idx ON webhook_attempts (webhook_id, id DESC);
CREATE INDEX webhook_attempts_event_idx ON webhook_attempts (event_id, id);

-- Staleness as the sweep last saw it: site.stale is sent once per stale spell, and
-- site.fresh when results come back. A table of its own, so the sweep never rewrites the
-- sites' assessment rows.
CREATE TABLE site_staleness (
    site_id      uuid PRIMARY KEY REFERENCES sites (id),
    stale_since  timestamptz NOT NULL
);
