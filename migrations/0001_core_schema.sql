-- Sites, the people and programs that may call the API, and versioned policies.
-- Forward-only: never edit this file once applied; add 0002_... instead.

CREATE TABLE sites (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    region          text CHECK (length(region) <= 255),
    timezone        text NOT NULL DEFAULT 'UTC',
    tags            text[] NOT NULL DEFAULT '{}',
    expected_users  integer NOT NULL DEFAULT 10 CHECK (expected_users BETWEEN 1 AND 1000000),
    longest_call_s  integer NOT NULL DEFAULT 3600 CHECK (longest_call_s BETWEEN 1 AND 604800),
    policy_name     text NOT NULL DEFAULT 'sococo',
    -- NULL follows the newest version of policy_name.
    policy_version  integer CHECK (policy_version >= 1),
    archived_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Keyset pagination walks sites by id; the filters narrow that walk.
CREATE INDEX sites_active_region_idx ON sites (region, id) WHERE archived_at IS NULL;
CREATE INDEX sites_tags_idx ON sites USING gin (tags);

CREATE TABLE policies (
    name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    version     integer NOT NULL CHECK (version >= 1),
    document    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

CREATE TABLE agents (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_seen_at  timestamptz
);
CREATE INDEX agents_site_idx ON agents (site_id, id);

-- Only the SHA-256 of a token is stored; the token itself is shown once at creation.
CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    scope         text NOT NULL CHECK (scope IN ('admin', 'read', 'agent')),
    site_id       uuid REFERENCES sites (id),
    agent_id      uuid REFERENCES agents (id),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    -- An agent token is bound to exactly one site and agent; other scopes to none.
    CHECK ((scope = 'agent') = (site_id IS NOT NULL AND agent_id IS NOT NULL))
);
