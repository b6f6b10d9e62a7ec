-- Rate budgets (issue 14): one row per agent (results uploaded) and per token (requests),
-- shared by every replica, so a second replica neither doubles a budget nor misses one.
--
-- Each row is a token bucket kept as GCRA's theoretical arrival time (the generic cell rate
-- algorithm of ITU-T I.371): `tat` is the moment, in seconds since the epoch, at which the
-- budget would be full again; a request costing c seconds of budget is allowed while
-- max(tat, now) + c - now <= tolerance_s (the bucket's size in seconds of refill). One
-- upsert per check, no read-modify-write race.
--
-- UNLOGGED: no WAL per request. A crash of PostgreSQL empties the table, which hands every
-- agent and token a full budget again: the price of a budget that costs no fsync.
CREATE UNLOGGED TABLE rate_budgets (
    key text PRIMARY KEY,
    tat double precision NOT NULL,
    tolerance_s double precision NOT NULL CHECK (tolerance_s > 0)
) WITH (fillfactor = 70);  -- room for HOT updates: every check rewrites its row
