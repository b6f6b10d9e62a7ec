import JSON
import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Retention through the real server and the real migrations: ingest refuses what the period
/// no longer keeps, and the pruner drops whole months and their run_id claims, nothing else.
@Suite struct RetentionTests {
    /// A stored result and its run_id claim, as ingest leaves them.
    static func store(_ live: LiveService, site: UUID, at text: String) async throws -> UUID {
        let runID = UUID()
        let started = try #require(RFC3339Timestamp.parse(text))
        try await live.reads.insert(ReadFixtures.goodJSON(runID: runID, at: started), site: site, policy: try BundledPolicy.sococo())
        try await live.database.execute(
            """
            INSERT INTO result_runs (run_id, site_id, content_hash, started_at, received_at)
            VALUES (\(runID), \(site), \(Data(repeating: 7, count: 32)), \(started), \(started))
            """)
        return runID
    }

    static func partitions(_ live: LiveService) async throws -> [String] {
        try await live.database.query(
            "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'results'::regclass ORDER BY 1"
        ).map { try $0.decode(String.self, column: "name") }
    }

    @Test func uploadsOlderThanThePeriodAreRefusedByPointerAndNothingIsStored() async throws {
        try await LiveService.with(configure: { $0.retention = RetentionPeriod(days: 60) }) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let now = Date()
            let old = ReadFixtures.goodJSON(at: now.addingTimeInterval(-61 * 86_400))
            let recent = ReadFixtures.goodJSON(at: now.addingTimeInterval(-59 * 86_400))

            let single = try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(old.utf8))
            #expect(single.status == 422)
            #expect(try single.problemPointers() == ["/started_at"])
            let batch = try await live.client.send(
                "POST", "/v1/results", token: agent.token, body: Data("{\"results\": [\(recent), \(old)]}".utf8))
            #expect(batch.status == 422)
            #expect(try batch.problemPointers() == ["/results/1/started_at"])
            #expect(try await live.reads.count("results") == 0)
            #expect(try await live.reads.count("result_runs") == 0)

            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(recent.utf8)).status == 201)
        }
    }

    @Test func pruningDropsWholeMonthsBeforeTheBoundaryAndTheirClaimsAndKeepsTheRollups() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let january = try await Self.store(live, site: site, at: "2026-01-15T10:00:00Z")
            let february = try await Self.store(live, site: site, at: "2026-02-27T23:55:00Z")
            let march = try await Self.store(live, site: site, at: "2026-03-01T00:00:00Z")
            let boundary = try #require(RFC3339Timestamp.parse("2026-03-01T00:00:00Z"))
            var pruner = ResultPruner(database: live.database, logger: LiveService.logger)
            pruner.batchSize = 1  // several batches

            let dryRun = try await pruner.prune(before: boundary, dryRun: true)
            #expect(dryRun.partitions == ["results_2026_01", "results_2026_02"])
            #expect(dryRun.claims == 2)
            #expect(try await live.reads.count("results") == 3, "a dry run deletes nothing")
            #expect(try await live.reads.count("result_runs") == 3)

            let report = try await pruner.prune(before: boundary)
            #expect(report.partitions == ["results_2026_01", "results_2026_02"])
            #expect(report.claims == 2)
            #expect(try await Self.partitions(live) == ["results_2026_03"])
            let claims = try await live.database.query("SELECT run_id FROM result_runs").map { try $0.decode(UUID.self, column: "run_id") }
            #expect(claims == [march])

            for gone in [january, february] {
                #expect(try await live.client.get("/v1/results/\(gone.lower)", token: read).status == 404)
            }
            #expect(try await live.client.get("/v1/results/\(march.lower)", token: read).status == 200)
            // Daily history reads the hourly rollup, which outlives the raw rows; raw and hourly
            // history read the rows.
            func points(_ bucket: String) async throws -> Int {
                let response = try await live.client.get(
                    "/v1/sites/\(site.lower)/history?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&bucket=\(bucket)", token: read)
                #expect(response.status == 200)
                return try response.decoded(SiteHistoryBody.self).points.count
            }
            #expect(try await points("day") == 1)
            #expect(try await points("hour") == 0)
            #expect(try await points("raw") == 0)

            let again = try await pruner.prune(before: boundary)
            #expect(again.partitions.isEmpty && again.claims == 0, "nothing left to do")
        }
    }

    @Test func aPruneFindsAnotherOneRunningAndSkips() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            _ = try await Self.store(live, site: site, at: "2026-01-15T10:00:00Z")
            let boundary = try #require(RFC3339Timestamp.parse("2026-03-01T00:00:00Z"))
            // Advisory locks share one space whatever their level: a transaction's conflicts too.
            let holder = HeldTransaction(live.database, ["SELECT pg_advisory_xact_lock(\(ResultPruner.advisoryLockKey))"])
            await holder.untilHeld()
            let pruner = ResultPruner(database: live.database, logger: LiveService.logger)
            let skipped = try await pruner.prune(before: boundary)
            holder.release()
            try await holder.done.value
            #expect(skipped.skipped)
            #expect(try await Self.partitions(live) == ["results_2026_01"])
            #expect(try await pruner.prune(before: boundary).partitions == ["results_2026_01"], "once the lock is free")
        }
    }

    @Test func theServicesSchedulePrunesSoonAfterStartAndStopsWhenAsked() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            _ = try await Self.store(live, site: site, at: "2026-01-15T10:00:00Z")
            _ = try await Self.store(live, site: site, at: "2026-05-15T10:00:00Z")
            let now = try #require(RFC3339Timestamp.parse("2026-06-20T00:00:00Z"))
            let metrics = ServiceMetrics()
            let schedule = RetentionSchedule(
                pruner: ResultPruner(database: live.database, logger: LiveService.logger), period: RetentionPeriod(days: 60),
                metrics: metrics.retention, firstRun: .milliseconds(10), clock: { now })
            schedule.start()
            var partitions = try await Self.partitions(live)
            for _ in 0..<100 where partitions.count > 1 {
                try await Task.sleep(for: .milliseconds(50))
                partitions = try await Self.partitions(live)
            }
            await schedule.stop()  // returns: the next run was an hour away
            #expect(partitions == ["results_2026_05"], "the cutoff (April 21) passed January, not May")
            let samples = MetricsTests.samples(String(decoding: metrics.render(pool: nil), as: UTF8.self))
            #expect(samples[#"readiness_retention_runs_total{outcome="pruned"}"#] == 1)
            #expect(samples["readiness_retention_dropped_partitions_total"] == 1)
            #expect(samples["readiness_retention_deleted_claims_total"] == 1)
            #expect(samples["readiness_retention_last_success_timestamp_seconds"] == now.timeIntervalSince1970)
        }
    }

    @Test func aDropThatCannotHaveTheTableLockGivesUpAndTheNextPruneFinishes() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            _ = try await Self.store(live, site: site, at: "2026-01-15T10:00:00Z")
            let boundary = try #require(RFC3339Timestamp.parse("2026-03-01T00:00:00Z"))
            var pruner = ResultPruner(database: live.database, logger: LiveService.logger)
            pruner.lockTimeout = "100ms"
            // A reader of `results` that does not finish: DROP needs the table to itself.
            let reader = HeldTransaction(live.database, ["LOCK TABLE results IN ACCESS SHARE MODE"])
            await reader.untilHeld()
            await #expect(throws: PostgresError.self) { try await pruner.prune(before: boundary) }
            // The schedule counts such a run as failed and carries on.
            let metrics = ServiceMetrics()
            let june = try #require(RFC3339Timestamp.parse("2026-06-20T00:00:00Z"))
            let schedule = RetentionSchedule(
                pruner: pruner, period: RetentionPeriod(days: 60), metrics: metrics.retention, firstRun: .milliseconds(10),
                interval: .milliseconds(50), clock: { june })
            var failed = 0.0
            schedule.start()
            for _ in 0..<100 where failed < 1 {
                try await Task.sleep(for: .milliseconds(50))
                failed = MetricsTests.samples(String(decoding: metrics.render(pool: nil), as: UTF8.self))[
                    #"readiness_retention_runs_total{outcome="failed"}"#] ?? 0
            }
            await schedule.stop()
            #expect(failed >= 1)
            reader.release()
            try await reader.done.value
            #expect(try await live.reads.count("result_runs") == 0, "the claims went first")
            #expect(try await Self.partitions(live) == ["results_2026_01"], "the month stays until a DROP gets the lock")

            let finished = try await pruner.prune(before: boundary)
            #expect(!finished.skipped, "the failed prune let go of the advisory lock")
            #expect(finished.partitions == ["results_2026_01"] && finished.claims == 0)
        }
    }

    @Test func aPruneToldToStopDoesNothingMore() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            _ = try await Self.store(live, site: site, at: "2026-01-15T10:00:00Z")
            let boundary = try #require(RFC3339Timestamp.parse("2026-03-01T00:00:00Z"))
            let report = try await ResultPruner(database: live.database, logger: LiveService.logger)
                .prune(before: boundary, shouldContinue: { false })
            #expect(report.partitions.isEmpty && report.claims == 0)
            #expect(try await live.reads.count("result_runs") == 1)
            #expect(try await Self.partitions(live) == ["results_2026_01"])
        }
    }
}
