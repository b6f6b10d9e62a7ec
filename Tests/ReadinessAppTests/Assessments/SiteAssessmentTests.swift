import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct SiteAssessmentTests {
    static func assessment(_ live: LiveService, _ site: UUID, token: String, etag: String? = nil) async throws -> APIClient.Response {
        try await live.client.get("/v1/sites/\(site.uuidString.lowercased())/assessment", token: token,
                                  headers: etag.map { ["If-None-Match": $0] } ?? [:])
    }

    /// A replica may serve an assessment up to the cache's max age (1 s) old; a change must show
    /// within that bound (plus slack for a loaded test machine), never later.
    static func eventually(
        _ live: LiveService, _ site: UUID, token: String, etag: String? = nil,
        _ condition: (APIClient.Response) -> Bool
    ) async throws -> APIClient.Response {
        // The cache trusts an entry for 1 s; the bound leaves room for a loaded machine (the
        // suite runs in parallel on two cores), where 1.5 s once ran out first.
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let response = try await assessment(live, site, token: token, etag: etag)
            if condition(response) || ContinuousClock.now > deadline { return response }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func currentAssessmentGetsWorseWhenAWorseResultArrivesAndRecordsTheChange() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(healthy: true))
            let before = try await Self.assessment(live, site, token: read)
            #expect(before.status == 200)
            let firstVerdict = try before.decoded(SiteAssessmentBody.self).verdict
            #expect(firstVerdict != "stale" && firstVerdict != "not_ready")
            // Three lossy runs against one clean one: the site's median loss is now far above 5 %.
            for _ in 0..<3 {
                let lossy = ResultSamples.data(ResultSamples.json(healthy: false, lossPct: 20))
                #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: lossy).status == 201)
            }
            // Polled: an answer of another shape only means "not yet"; the check after decodes for real.
            let after = try await Self.eventually(live, site, token: read) {
                (try? $0.decoded(SiteAssessmentBody.self))?.verdict == "not_ready"
            }
            #expect(try after.decoded(SiteAssessmentBody.self).verdict == "not_ready")
            let verdictChanges = try await live.database.query(
                "SELECT to_verdict FROM site_changes WHERE site_id = \(site) AND kind = 'verdict_changed' ORDER BY id")
            #expect(verdictChanges.count >= 2)
            let appeared = try await live.database.query(
                "SELECT 1 FROM site_changes WHERE site_id = \(site) AND kind IN ('finding_appeared', 'finding_changed')")
            #expect(!appeared.isEmpty)
        }
    }

    @Test func etagIsStableUntilANewUploadAndIfNoneMatchAnswers304() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            let first = try await Self.assessment(live, site, token: read)
            let second = try await Self.assessment(live, site, token: read)
            let etag = try #require(first.header("ETag"))
            #expect(second.header("ETag") == etag)
            #expect(first.body == second.body)
            let notModified = try await Self.assessment(live, site, token: read, etag: etag)
            #expect(notModified.status == 304)
            #expect(notModified.body.isEmpty)
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            let changed = try await Self.eventually(live, site, token: read, etag: etag) { $0.status == 200 }
            #expect(changed.status == 200)
            #expect(changed.header("ETag") != etag)
        }
    }

    @Test func siteWhoseNewestResultIsOlderThanTheWindowIsStale() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let old = Date().addingTimeInterval(-3 * 86_400)
            let upload = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(startedAt: old))
            #expect(upload.status == 201)
            let response = try await Self.assessment(live, site, token: read)
            // `SiteAssessmentBody` requires the nullable members: nil below is a written null.
            let assessment = try response.decoded(SiteAssessmentBody.self)
            #expect(assessment.verdict == "stale")
            // The stale site still says what its newest (healthy) result was.
            #expect(assessment.lastVerdict == "optimal")
            #expect(assessment.score == nil)
        }
    }

    @Test func siteWithoutResultsIsStaleAndAgentsAndStrangersAreRefused() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let response = try await Self.assessment(live, site, token: read)
            #expect(response.status == 200)
            let assessment = try response.decoded(SiteAssessmentBody.self)
            #expect(assessment.verdict == "stale")
            #expect(assessment.lastVerdict == nil)  // `SiteAssessmentBody` requires the member: a written null
            #expect(try await Self.assessment(live, UUID(), token: read).status == 404)
            #expect(try await Self.assessment(live, site, token: agent.token).status == 403)
        }
    }
}
