import JSON
import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct SiteUpdateAndArchiveTests {
    @Test func mergePatchChangesOnlyTheMembersSentAndNullClearsTheRegion() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site(name: "HQ", region: "emea", tags: ["hq"], expectedUsers: 40)
            let patched = try await live.client.patch("/v1/sites/\(site.lower)", token: admin, json: [
                "expected_users": 60, "region": NSNull(),
            ])
            #expect(patched.status == 200)
            // `SiteBody` requires `region`: nil below is a written null.
            let body = try patched.decoded(SiteBody.self)
            #expect(body.expectedUsers == 60)
            #expect(body.region == nil)
            #expect(body.name == "HQ")
            #expect(body.tags == ["hq"])
            let reread = try await live.client.get("/v1/sites/\(site.lower)", token: admin).decoded(SiteBody.self)
            #expect(reread.expectedUsers == 60)
            #expect(reread.region == nil)
        }
    }

    @Test func patchRejectsUnknownMembersNullsOfRequiredMembersAndEmptyPatches() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let bad = try await live.client.patch("/v1/sites/\(site.lower)", token: admin, json: [
                "expected_users": 0, "owner": "me", "name": NSNull(),
            ])
            #expect(bad.status == 422)
            #expect(Set(try bad.problemPointers()) == ["/expected_users", "/owner", "/name"])
            let empty = try await live.client.patch("/v1/sites/\(site.lower)", token: admin, json: [String: Any]())
            #expect(empty.status == 422)
            let unchanged = try await live.client.get("/v1/sites/\(site.lower)", token: admin)
            #expect(try unchanged.decoded(SiteBody.self).expectedUsers == 10)
        }
    }

    @Test func setPolicyPinsAVersionAndRefusesUnknownOnes() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let pinned = try await live.client.put("/v1/sites/\(site.lower)/policy", token: admin, json: ["name": "sococo", "version": 1])
            #expect(pinned.status == 200)
            #expect(try pinned.decoded(SiteBody.self).policy.version == 1)
            let missing = try await live.client.put("/v1/sites/\(site.lower)/policy", token: admin, json: ["name": "sococo", "version": 9])
            #expect(missing.status == 422)
            #expect(try missing.problemPointers() == ["/version"])
            let unknown = try await live.client.put("/v1/sites/\(site.lower)/policy", token: admin, json: ["name": "other", "version": NSNull()])
            #expect(try unknown.problemPointers() == ["/name"])
        }
    }

    @Test func archiveRevokesTheSitesAgentTokensAndMakesTheSiteReadOnly() async throws {
        try await LiveService.with(configure: { $0.authCacheTTL = 0 }) { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            // The agent token works (403: valid token, narrow scope) before the archive.
            #expect(try await live.client.get("/v1/sites/\(site.lower)", token: agent.token).status == 403)

            #expect(try await live.client.delete("/v1/sites/\(site.lower)", token: admin).status == 204)
            #expect(try await live.client.get("/v1/sites/\(site.lower)", token: agent.token).status == 401)
            let tokens = try await live.database.query(
                "SELECT count(*)::int AS live FROM api_tokens WHERE site_id = \(site) AND revoked_at IS NULL")
            #expect(try tokens.first?.decode(Int.self, column: "live") == 0)

            let archived = try await live.client.get("/v1/sites/\(site.lower)", token: admin)
            #expect(archived.status == 200)
            let archivedAt = try #require(try archived.decoded(SiteBody.self).archivedAt)
            #expect(abs(archivedAt.timeIntervalSinceNow) < 60, "archived just now")
            let patch = try await live.client.patch("/v1/sites/\(site.lower)", token: admin, json: ["name": "new"])
            #expect(patch.status == 409)
            #expect(try patch.decoded(ProblemBody.self).type == ProblemTypes.siteArchived.uri)
            #expect(try await live.client.put("/v1/sites/\(site.lower)/policy", token: admin, json: ["name": "sococo", "version": NSNull()]).status == 409)
            #expect(try await live.client.post("/v1/sites/\(site.lower)/agents", token: admin, json: ["name": "late"]).status == 409)
            // Archiving again is a no-op; an unknown site is 404.
            #expect(try await live.client.delete("/v1/sites/\(site.lower)", token: admin).status == 204)
            #expect(try await live.client.delete("/v1/sites/\(UUID().lower)", token: admin).status == 404)
        }
    }
}
