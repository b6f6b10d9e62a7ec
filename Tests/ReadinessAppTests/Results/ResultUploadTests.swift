import Foundation
import JSON
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct ResultUploadTests {
    static func count(_ live: LiveService, _ table: String) async throws -> Int {
        let rows = try await live.database.query("SELECT count(*)::int8 AS n FROM \(unsafeRaw: table)")
        return try rows.first?.decode(Int.self, column: "n") ?? -1
    }

    @Test func singleUploadIsStoredUnderTheAgentsSiteWithItsAssessment() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let runID = UUID()
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(runID))
            #expect(response.status == 201)
            let outcome = try response.decoded(UploadOutcomeBody.self)
            #expect(outcome.status == "created")
            #expect(outcome.siteId == site.uuidString.lowercased())
            #expect(outcome.runId == runID.uuidString.lowercased())
            let assessment = outcome.assessment
            // The sample is a healthy network: every optimal rule passes, so nothing is found.
            #expect(assessment.verdict == "optimal")
            #expect(assessment.findingCodes == [])
            let score = try #require(assessment.score)
            #expect((80...100).contains(score), "an optimal verdict scores 80 or more, got \(score)")
            let rows = try await live.database.query("SELECT site_id FROM results WHERE run_id = \(runID)")
            #expect(try rows.first?.decode(UUID.self, column: "site_id") == site)
            let seen = try await live.database.query("SELECT last_seen_at FROM agents WHERE id = \(agent.id)")
            #expect(seen.first?.isNull(column: "last_seen_at") == false)
            #expect(try await Self.count(live, "site_assessments") == 1)
        }
    }

    @Test func batchUploadAnswersEachResultInOrder() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let ids = (0..<3).map { _ in UUID() }
            let body = ResultSamples.batch(ids.enumerated().map { ResultSamples.json(runID: $1, startedAt: Date().addingTimeInterval(Double(-300 - $0 * 60))) })
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: body)
            #expect(response.status == 201)
            // Decoding `UploadOutcomeBody` requires each outcome's assessment.
            let results = try response.decoded(UploadBatchBody.self).results
            #expect(results.map(\.runId) == ids.map { $0.uuidString.lowercased() })
            #expect(results.allSatisfy { $0.status == "created" })
            #expect(try await Self.count(live, "results") == 3)
        }
    }

    @Test func replayAnswersTheSameAndStoresNothingNew() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let body = ResultSamples.single()
            let first = try await live.client.send("POST", "/v1/results", token: agent.token, body: body)
            let changes = try await Self.count(live, "site_changes")
            let second = try await live.client.send("POST", "/v1/results", token: agent.token, body: body)
            #expect(first.status == 201)
            #expect(second.status == 200)
            #expect(try second.decoded(UploadOutcomeBody.self).status == "duplicate")
            // The whole summary, every member, whatever the order they were written in.
            let firstSummary = try #require(try first.jsonTree()["assessment"])
            let secondSummary = try #require(try second.jsonTree()["assessment"])
            #expect(firstSummary.membersSorted == secondSummary.membersSorted)
            #expect(try await Self.count(live, "results") == 1)
            #expect(try await Self.count(live, "result_runs") == 1)
            #expect(try await Self.count(live, "site_changes") == changes)
        }
    }

    @Test func sameRunIDWithOtherContentIsAConflictAndStoresNothingOfTheBatch() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let reused = UUID()
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(reused))
            let fresh = UUID()
            let batch = ResultSamples.batch([ResultSamples.json(runID: fresh), ResultSamples.json(runID: reused, healthy: false)])
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: batch)
            #expect(response.status == 409)
            let errors = try #require(try response.decoded(ProblemBody.self).errors)
            #expect(errors.map(\.pointer) == ["/results/1/run_id"])
            #expect(try await Self.count(live, "results") == 1)
            let stored = try await live.database.query("SELECT 1 FROM result_runs WHERE run_id = \(fresh)")
            #expect(stored.isEmpty)
        }
    }

    @Test func twentyConcurrentIdenticalUploadsStoreOneRow() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let body = ResultSamples.single()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await live.client.send("POST", "/v1/results", token: agent.token, body: body).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 200 }.count == 19, "statuses \(statuses.sorted())")
            #expect(try await Self.count(live, "results") == 1)
        }
    }
}
