import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct SiteListTests {
    @Test func walkingPagesWhileSitesAreInsertedSeesEveryEarlierSiteOnce() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            var before = Set<String>()
            for index in 0..<23 { before.insert(try await live.fixtures.site(name: "site \(index)").lower) }
            var seen: [String] = []
            var next: String? = "/v1/sites?limit=5"
            var pages = 0
            while let path = next {
                let page = try await live.client.get(path, token: read)
                #expect(page.status == 200)
                let body = try page.decoded(Page<SiteBody>.self)
                seen += body.items.map(\.id)
                next = page.nextLink
                // `Page` requires `next_cursor`: nil is a written null.
                #expect((body.nextCursor == nil) == (next == nil))
                pages += 1
                // Inserts during the walk land anywhere in id order; they must not shift pages.
                try await live.fixtures.site(name: "inserted \(pages)")
                if pages > 20 { break }
            }
            #expect(seen.count == Set(seen).count, "no site twice")
            #expect(before.isSubset(of: Set(seen)), "every site that existed before the walk")
            #expect(seen == seen.sorted(), "ordered by id")
        }
    }

    @Test func filtersByRegionTagAndArchivedState() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let berlin = try await live.fixtures.site(region: "eu", tags: ["hq", "floor-3"])
            let paris = try await live.fixtures.site(region: "eu", tags: ["branch"])
            let boston = try await live.fixtures.site(region: "us", tags: ["hq"])
            let closed = try await live.fixtures.site(region: "eu", tags: ["hq"])
            #expect(try await live.client.delete("/v1/sites/\(closed.lower)", token: admin).status == 204)

            func ids(_ query: String) async throws -> Set<String> {
                let response = try await live.client.get("/v1/sites?\(query)", token: admin)
                #expect(response.status == 200)
                return Set(try response.pageItems(SiteBody.self).map(\.id))
            }
            #expect(try await ids("region=eu") == [berlin.lower, paris.lower])
            #expect(try await ids("tag=hq") == [berlin.lower, boston.lower])
            #expect(try await ids("region=eu&tag=hq") == [berlin.lower])
            #expect(try await ids("region=eu&include_archived=true") == [berlin.lower, paris.lower, closed.lower])
        }
    }

    @Test func verdictAndStaleFiltersUseTheCurrentAssessmentAndThePolicysFreshnessWindow() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let fresh = try await live.fixtures.site(name: "fresh")
            let old = try await live.fixtures.site(name: "old")
            let never = try await live.fixtures.site(name: "never")
            let failing = try await live.fixtures.site(name: "failing")
            let now = Date()
            for (site, verdict, age) in [(fresh, "optimal", 3600.0), (old, "optimal", 48 * 3600.0), (failing, "not_ready", 60.0)] {
                try await live.database.execute(
                    """
                    INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, newest_result_at, assessment, etag, updated_at)
                    VALUES (\(site), 'sococo', 1, \(verdict), \(now.addingTimeInterval(-age)), '{}'::jsonb, 'e', \(now))
                    """)
            }
            func ids(_ query: String) async throws -> Set<String> {
                Set(try await live.client.get("/v1/sites?\(query)", token: read).pageItems(SiteBody.self).map(\.id))
            }
            #expect(try await ids("verdict=optimal") == [fresh.lower])
            #expect(try await ids("verdict=not_ready") == [failing.lower])
            #expect(try await ids("verdict=stale") == [old.lower, never.lower])
            #expect(try await ids("stale=true") == [old.lower, never.lower])
            #expect(try await ids("stale=false") == [fresh.lower, failing.lower])
        }
    }

    @Test(arguments: ["verdict=great", "stale=maybe", "include_archived=1", "region="])
    func malformedFiltersAreBadRequests(query: String) async throws {
        try await LiveService.with { live in
            let response = try await live.client.get("/v1/sites?\(query)", token: try await live.fixtures.token(.read))
            #expect(response.status == 400)
            #expect(try response.problemPointers().count == 1)
        }
    }

    /// A filter value PostgreSQL text cannot hold is the client's fault, and says so.
    @Test(arguments: ["/v1/sites?region=a%00b", "/v1/sites?tag=x%00", "/v1/assessments?region=a%00b"])
    func aNULInAFilterIsABadRequestNotAServerError(path: String) async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let response = try await live.client.get(path, token: read)
            #expect(response.status == 400)
            #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(try response.decoded(ProblemBody.self).detail?.contains("U+0000") == true)
            #expect(try await live.client.get("/v1/sites", token: read).status == 200)
        }
    }

    @Test func limitAboveFiveHundredIsRefused() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            #expect(try await live.client.get("/v1/sites?limit=501", token: read).status != 200)
            #expect(try await live.client.get("/v1/sites?limit=500", token: read).status == 200)
        }
    }
}
