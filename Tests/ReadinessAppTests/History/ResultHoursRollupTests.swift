import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Whichever path stores a result (the group statement, or the per-upload savepoints), the
/// hourly rollup (`result_hours`, kept by migration 0007's trigger) must equal the aggregate of
/// `results` computed afresh: no result missed, none counted twice, hours merged across paths.
@Suite struct ResultHoursRollupTests {
    @Test func rollupEqualsAFreshAggregateAfterUploadsThroughTheGroupAndTheSavepointPaths() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            // Three whole UTC hours, all in the past.
            let hour = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600 - 3 * 3600
            func at(_ hours: Double, _ minutes: Double) -> Date { Date(timeIntervalSince1970: hour + hours * 3600 + minutes * 60) }
            var unmeasured = ResultSamples.json(startedAt: at(1, 10), lossPct: 1.5)
            unmeasured["latency"] = nil
            unmeasured["bandwidth"] = nil
            let replayed = ResultSamples.json(startedAt: at(0, 5))
            let group = [replayed, ResultSamples.json(startedAt: at(0, 25), lossPct: 0.25), unmeasured]
            // A replay beside new results: the group statement's claim fails, and the savepoints
            // store the rest, one of them in an hour the group path already started.
            let savepoints = [replayed, ResultSamples.json(startedAt: at(0, 45), healthy: false),
                              ResultSamples.json(startedAt: at(2, 0), lossPct: 0.5)]

            for batch in [group, savepoints] {
                let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.batch(batch))
                #expect(response.status == 201)
            }

            let rows = try await live.database.query(
                """
                WITH expected AS (
                    SELECT site_id, date_bin('1 hour', started_at, timestamptz '2000-01-01T00:00:00Z') AS hour,
                        count(*)::int AS result_count,
                        min(CASE verdict WHEN 'not_ready' THEN 1 WHEN 'insufficient_data' THEN 2
                                         WHEN 'minimal' THEN 3 ELSE 4 END) AS worst_rank,
                        coalesce(sum(score), 0) AS score_sum, count(score) AS score_count,
                        coalesce(sum(rtt_ms), 0) AS rtt_ms_sum, count(rtt_ms) AS rtt_ms_count,
                        coalesce(sum(jitter_ms), 0) AS jitter_ms_sum, count(jitter_ms) AS jitter_ms_count,
                        coalesce(sum(loss_pct), 0) AS loss_pct_sum, count(loss_pct) AS loss_pct_count,
                        coalesce(sum(down_kbps), 0) AS down_kbps_sum, count(down_kbps) AS down_kbps_count,
                        coalesce(sum(up_kbps), 0) AS up_kbps_sum, count(up_kbps) AS up_kbps_count
                    FROM results WHERE site_id = \(site) GROUP BY 1, 2
                ), actual AS (
                    SELECT * FROM result_hours WHERE site_id = \(site)
                )
                SELECT e.hour AS expected_hour, a.hour AS actual_hour, e.result_count, e.worst_rank,
                    e.result_count IS NOT DISTINCT FROM a.result_count AND e.worst_rank IS NOT DISTINCT FROM a.worst_rank
                    AND e.score_sum IS NOT DISTINCT FROM a.score_sum AND e.score_count IS NOT DISTINCT FROM a.score_count
                    AND e.rtt_ms_count IS NOT DISTINCT FROM a.rtt_ms_count AND e.jitter_ms_count IS NOT DISTINCT FROM a.jitter_ms_count
                    AND e.loss_pct_count IS NOT DISTINCT FROM a.loss_pct_count
                    AND e.down_kbps_count IS NOT DISTINCT FROM a.down_kbps_count AND e.up_kbps_count IS NOT DISTINCT FROM a.up_kbps_count
                    -- Sums of doubles added in another order may differ in the last bits.
                    AND abs(e.rtt_ms_sum - a.rtt_ms_sum) < 1e-9 AND abs(e.jitter_ms_sum - a.jitter_ms_sum) < 1e-9
                    AND abs(e.loss_pct_sum - a.loss_pct_sum) < 1e-9 AND abs(e.down_kbps_sum - a.down_kbps_sum) < 1e-6
                    AND abs(e.up_kbps_sum - a.up_kbps_sum) < 1e-6 AS equal
                FROM expected e FULL JOIN actual a ON a.site_id = e.site_id AND a.hour = e.hour
                ORDER BY coalesce(e.hour, a.hour)
                """)
            #expect(rows.count == 3)
            for row in rows {
                let hour = try row.decode(Date?.self, column: "expected_hour")
                let actual = try row.decode(Date?.self, column: "actual_hour")
                #expect(hour != nil && hour == actual, "an hour on one side only")
                #expect(try row.decode(Bool?.self, column: "equal") == true, "hour \(String(describing: hour)) differs")
            }
            // Hour 0: two results from the group statement and one from a savepoint, the replay
            // counted once; its worst verdict is the savepoint's unhealthy result.
            #expect(try rows.map { try $0.decode(Int.self, column: "result_count") } == [3, 1, 1])
            #expect(try rows.first?.decode(Int.self, column: "worst_rank") == 1)
        }
    }
}
