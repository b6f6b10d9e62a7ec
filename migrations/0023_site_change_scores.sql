-- A verdict change keeps the scores it went between (issue 16): a webhook's `before.score`
-- and `after.score` are those of the change, not of whatever the site's assessment says when
-- the event is first sent. Written by both writers of site_changes (the group-commit writer's
-- set-based statement and the per-upload / re-score path). NULL on rows written before this
-- migration, on finding changes, and where an assessment had no score.
--
-- Columns without a default: adding them rewrites nothing, whatever the table's size.
ALTER TABLE site_changes ADD COLUMN from_score integer, ADD COLUMN to_score integer;
