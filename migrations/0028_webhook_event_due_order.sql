-- The claim walks due events in the order it takes them, (next_attempt_at, id), and stops
-- after a round's worth (issue 16: a backlog of events all due at once, as a re-score or a
-- receiver's outage leaves, drained at 150–300 events/s).
--
-- On `next_attempt_at` alone, events written by one transaction tie (one `now()`), so every
-- claim read and sorted the whole tied backlog to find its 32. With `id` in the index the
-- index scan yields them in the claim's order. Same size and the same one entry per event
-- written as before, so the ingest's inserts pay nothing more.
DROP INDEX webhook_events_due_idx;
CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at, id) WHERE state = 'pending';
