-- A fleet preview of a policy (POST /v1/policies/{name}/preview) reads the window of stored
-- observations (`window_entry`) of every site of the policy: a day of 5-minute results over
-- 10,000 sites is 2.88 M rows. From the heap, each entry costs a visit to a row that is mostly
-- its body (some 1.9 kB), about 6 us a row when the pages are not in shared buffers: measured
-- 336 ms for 200 sites, 17 s for the fleet. Carried in the (site_id, finished_at) index, the
-- same reads are an index-only scan of ~200 B entries: 38 ms for 200 sites, under 2 s for the
-- fleet (scripts/bench-preview.sh). The window loader (SiteWindowLoader) reads the same columns
-- and gains the same way.
--
-- It replaces results_site_finished_idx (0004), whose key it keeps, so every query that used
-- that index can use this one; each upload writes one index entry as before, larger by its
-- entry (a few dozen to a few hundred bytes of text). Rows not yet marked all-visible by
-- (auto)vacuum are still read from the heap: the newest part of a window costs what it did.
CREATE INDEX results_site_window_idx ON results (site_id, finished_at)
    INCLUDE (run_id, policy_name, policy_version, window_entry);
DROP INDEX results_site_finished_idx;
