import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The cached read path against the real server and database: what another replica (or a
/// direct write) changes shows within the documented bound, and staleness still flips on time.
@Suite struct AssessmentCacheLiveTests {
    @Test func directUpdateOfTheStoredAssessmentIsVisibleWithinMaxAge() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            let first = try await SiteAssessmentTests.assessment(live, site, token: read)
            #expect(first.status == 200)
            // What another replica's ingest would commit, bypassing this process entirely.
            try await live.database.execute(
                """
                UPDATE site_assessments SET etag = 'changed-elsewhere',
                    assessment = jsonb_set(assessment::jsonb, '{runs}', '42')::text WHERE site_id = \(site)
                """)
            let changed = try await SiteAssessmentTests.eventually(live, site, token: read) {
                $0.header("ETag") == "\"changed-elsewhere\""
            }
            #expect(changed.header("ETag") == "\"changed-elsewhere\"")
            #expect(try changed.decoded(SiteAssessmentBody.self).confidence.resultCount == 42)
        }
    }

    @Test func cachedAssessmentTurnsStaleWhenItsNewestResultLeavesTheWindow() async throws {
        // The service's clock moves only when the test moves it: on a running clock the full
        // suite, run in parallel on two shared cores, read the first assessment after the window
        // had already passed.
        let clock = ManualDateClock()
        try await LiveService.with(clock: clock.function) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            // Finished (started + 90 s) 9-10 s (timestamps may be whole seconds) before the
            // default policy's 24 h window ends.
            let started = clock.now.addingTimeInterval(-86_400 - 90 + 10)
            let upload = try await live.client.send(
                "POST", "/v1/results", token: agent.token, body: ResultSamples.single(startedAt: started))
            #expect(upload.status == 201)
            let fresh = try await SiteAssessmentTests.assessment(live, site, token: read)
            #expect(try fresh.decoded(SiteAssessmentBody.self).verdict != "stale")
            let freshTag = try #require(fresh.header("ETag"))
            clock.advance(by: 10.4)
            let stale = try await SiteAssessmentTests.assessment(live, site, token: read, etag: freshTag)
            #expect(stale.status == 200)
            #expect(try stale.decoded(SiteAssessmentBody.self).verdict == "stale")
            #expect(stale.header("ETag") == String(freshTag.dropLast()) + "-stale\"")
        }
    }

    @Test func deletedSiteDisappearsWithinMaxAge() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let read = try await live.fixtures.token(.read)
            #expect(try await SiteAssessmentTests.assessment(live, site, token: read).status == 200)
            try await live.database.execute("DELETE FROM sites WHERE id = \(site)")
            let gone = try await SiteAssessmentTests.eventually(live, site, token: read) { $0.status == 404 }
            #expect(gone.status == 404)
        }
    }
}
