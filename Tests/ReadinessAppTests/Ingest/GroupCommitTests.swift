import Foundation
import Postgres
import ReadinessContract
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The writer's two paths driven directly with a fixed group, so which uploads share a
/// transaction is not left to timing.
@Suite struct GroupCommitTests {
    static func prepare(_ live: LiveService, site: UUID, agent: UUID?, _ bodies: [[String: Any]], now: Date = Date()) async throws -> PreparedUpload {
        let record = try #require(try await SiteDirectory(database: live.database).find(site))
        let policy = try #require(try await PolicyCatalog(database: live.database).policy(name: record.policyName, version: record.policyVersion))
        let decoded = try ResultIngest.decode(Array(ResultSamples.batch(bodies)), now: now)
        try await ResultPartitions(database: live.database).ensure(for: decoded.results.map(\.startedAt))
        let results = try decoded.results.enumerated().map { index, result in
            try PreparedResult(result, evaluation: policy.evaluate(result, site: record.parameters), pointerPrefix: "/results/\(index)")
        }
        return PreparedUpload(siteID: site, agentID: agent, site: record.parameters, policy: policy, results: results,
                              wasBatch: true, receivedAt: now)
    }

    static func write(_ live: LiveService, _ uploads: [PreparedUpload], windows: SiteWindowCache) async throws -> GroupCommitWriter.GroupResult {
        let result = try await live.database.withConnection { connection in
            try GroupCommitWriter.writeGroup(uploads, windows: windows, on: connection)
        }
        windows.remember(result.windows)
        return result
    }

    static func runs(_ live: LiveService, site: UUID) async throws -> Int {
        let rows = try await live.database.query("SELECT (assessment::jsonb->>'runs')::int8 AS runs FROM site_assessments WHERE site_id = \(site)")
        return try #require(try rows.first?.decode(Int.self, column: "runs"))
    }

    @Test func groupOfNewUploadsIsWrittenSetBasedWithOneAssessmentPerSite() async throws {
        try await LiveService.with { live in
            let first = try await live.fixtures.site(), second = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: first)
            let windows = SiteWindowCache()
            let uploads = [
                try await Self.prepare(live, site: first, agent: agent.id, [ResultSamples.json(), ResultSamples.json()]),
                try await Self.prepare(live, site: second, agent: nil, [ResultSamples.json()]),
                try await Self.prepare(live, site: first, agent: agent.id, [ResultSamples.json(healthy: false)]),
            ]
            let written = try await Self.write(live, uploads, windows: windows)
            #expect(written.replies.allSatisfy { (try? $0.get())?.allSatisfy { $0.status == .created } == true })
            #expect(Set(written.windows.map(\.siteID)) == [first, second])
            #expect(try await ResultUploadTests.count(live, "results") == 4)
            #expect(try await Self.runs(live, site: first) == 3)
            let seen = try await live.database.query("SELECT last_seen_at FROM agents WHERE id = \(agent.id)")
            #expect(seen.first?.isNull(column: "last_seen_at") == false)
            // Both sites' assessments and first verdicts were written by the group's two statements.
            for entry in written.windows {
                let stored = try await live.database.query("SELECT etag FROM site_assessments WHERE site_id = \(entry.siteID)")
                #expect(try stored.first?.decode(String.self, column: "etag") == entry.etag)
                let verdicts = try await live.database.query(
                    "SELECT code FROM site_changes WHERE site_id = \(entry.siteID) AND kind = 'verdict_changed'")
                #expect(verdicts.count == 1)
            }
            #expect(windows.runCount == 4)
            // The next group reuses the remembered window and still counts every run.
            let next = try await Self.write(
                live, [try await Self.prepare(live, site: first, agent: agent.id, [ResultSamples.json()])], windows: windows)
            #expect(next.windows.first?.window.count == 4)
            #expect(try await Self.runs(live, site: first) == 4)
        }
    }

    @Test func groupWithOneConflictingUploadCommitsTheOthersAndAnswersThatOne409() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(), other = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let reused = UUID()
            let earlier = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(reused))
            #expect(earlier.status == 201)
            let uploads = [
                try await Self.prepare(live, site: site, agent: agent.id, [ResultSamples.json()]),
                try await Self.prepare(live, site: site, agent: agent.id, [ResultSamples.json(), ResultSamples.json(runID: reused, healthy: false)]),
                try await Self.prepare(live, site: other, agent: nil, [ResultSamples.json()]),
            ]
            let written = try await Self.write(live, uploads, windows: SiteWindowCache())
            #expect((try? written.replies[0].get())?.first?.status == .created)
            guard case .failure(let conflict) = written.replies[1] else {
                Issue.record("the conflicting upload was stored")
                return
            }
            guard case .rejected(.conflicts(let reused)) = conflict else {
                Issue.record("the conflicting upload failed as \(conflict), not as a run_id conflict")
                return
            }
            #expect(reused.map(\.pointer) == ["/results/1/run_id"])
            #expect(conflict.problem.status == .conflict)
            #expect((try? written.replies[2].get())?.first?.status == .created)
            // 1 earlier + 1 + 1; nothing of the conflicting batch, not even its fresh result.
            #expect(try await ResultUploadTests.count(live, "results") == 3)
            #expect(try await ResultUploadTests.count(live, "result_runs") == 3)
            #expect(try await Self.runs(live, site: site) == 2)
            #expect(try await Self.runs(live, site: other) == 1)
        }
    }

    /// Without a remembered window the group reads the site's stored runs and takes its own
    /// runs' observations from their evaluations: the stored document and ETag are still those
    /// of the full computation over every run.
    @Test func windowReadFromTheTableGivesTheFullAssessmentsBytes() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            for healthy in [true, false] {
                let earlier = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(healthy: healthy))
                #expect(earlier.status == 201)
            }
            let now = Date()
            let uploads = [
                try await Self.prepare(live, site: site, agent: agent.id, [ResultSamples.json(healthy: false)], now: now),
                try await Self.prepare(live, site: site, agent: agent.id, [ResultSamples.json(), ResultSamples.json()], now: now),
            ]
            _ = try await Self.write(live, uploads, windows: SiteWindowCache())
            let bodies = try await live.database.query("SELECT body FROM results WHERE site_id = \(site)")
            let results = try bodies.map { try APIJSON.decoder.decode(ProbeResult.self, from: Data(try $0.decode(PostgresJSON.self, column: "body").bytes)) }
            #expect(results.count == 5)
            let full = uploads[0].policy.assess(results, site: uploads[0].site, now: now)
            let expected = try StoredSiteAssessment(siteID: site, assessment: full, updatedAt: now)
            let row = try #require(try await live.database.query("SELECT assessment, etag FROM site_assessments WHERE site_id = \(site)").first)
            #expect(try row.decode(PostgresText.self, column: "assessment").bytes == expected.assessmentJSON)
            #expect(try row.decode(String.self, column: "etag") == expected.etag)
        }
    }

    @Test func rememberedWindowIsIgnoredAfterAnotherWriterStoredResultsForTheSite() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let windows = SiteWindowCache()
            _ = try await Self.write(live, [try await Self.prepare(live, site: site, agent: agent.id, [ResultSamples.json()])], windows: windows)
            // Another replica (here: the service's own writer, with its own cache) stores one more.
            let other = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            #expect(other.status == 201)
            _ = try await Self.write(live, [try await Self.prepare(live, site: site, agent: agent.id, [ResultSamples.json()])], windows: windows)
            #expect(try await Self.runs(live, site: site) == 3)
        }
    }

    @Test func replayInsideAGroupTakesThePerUploadPathAndStoresOneRow() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let body = ResultSamples.json()
            let uploads = [
                try await Self.prepare(live, site: site, agent: nil, [body]),
                try await Self.prepare(live, site: site, agent: nil, [body]),
            ]
            let written = try await Self.write(live, uploads, windows: SiteWindowCache())
            #expect(written.replies.map { (try? $0.get())?.first?.status } == [.created, .duplicate])
            #expect(try await ResultUploadTests.count(live, "results") == 1)
        }
    }
}
