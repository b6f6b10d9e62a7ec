-- Webhook events are claimed with a lease of their own (issue 16: ingest may lose at most 5 %
-- with a subscription active, and events are delivered on the same cores).
--
-- Before, a claim moved `next_attempt_at` to the lease's end. That column is in
-- `webhook_events_due_idx`, so every claim was a non-HOT update: a new entry in each of the
-- table's five indexes, and the body's freezing another five. Now a claim writes
-- `leased_until`, which no index holds, and the claim and the freezing can be HOT updates
-- (the row rewritten in its page, no index touched) when the page has room:
--   * fillfactor 50 leaves half of each page for those rewrites;
--   * toast_tuple_target 256 moves a frozen body (a few KB of JSON) out of the row into the
--     TOAST table, so the rewritten row stays small enough for its page.
-- Settling still moves the row out of the pending (partial) indexes, as it must.
--
-- A column without a default: adding it rewrites nothing. The storage settings apply to pages
-- written from now on.
ALTER TABLE webhook_events ADD COLUMN leased_until timestamptz;
ALTER TABLE webhook_events SET (fillfactor = 50, toast_tuple_target = 256);
