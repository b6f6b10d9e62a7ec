-- Webhook delivery (issue 16): an event a subscription's format has nothing to send for
-- (PagerDuty has no action for a ping or a site going stale) is settled as `skipped`, so it
-- neither counts as undelivered nor holds up the site's later events.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_state_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_state_check
    CHECK (state IN ('pending', 'delivered', 'failed', 'skipped'));
