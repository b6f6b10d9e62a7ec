-- The hourly rollup (0007) is kept by the statements that store results, no longer by a
-- trigger: the group statement adds its results to their hours in one more data-modifying CTE
-- that aggregates the same parameter arrays the results are inserted from, and the per-upload
-- path's insert does the same from the nine columns it returns (ResultHoursRollup.swift holds
-- the aggregate both use). The trigger copied every new row, bodies included, into a
-- transition table and ran a plpgsql function with its SPI plan once per statement.
--
-- FIGURES
--
-- Every writer of `results` must now add to `result_hours` itself: the service's two ingest
-- paths do, and so do the test seeders and scripts/bench-reads.sh. The function goes with the
-- trigger: nothing else calls it (the seeders splice the same aggregate into their inserts).
--
-- Counted exactly once across the switch: DROP TRIGGER takes an exclusive lock on `results`,
-- so it waits for any transaction inserting through the trigger, and the migrator runs before
-- this version of the service stores anything. A server of the previous version still running
-- against the migrated database would store results that miss the rollup: stop it first.
DROP TRIGGER results_roll_up_hours ON results;
DROP FUNCTION result_hours_add();
