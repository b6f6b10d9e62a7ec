import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct AgentsTests {
    @Test func registeringAnAgentReturnsItsTokenOnceAndStoresOnlyTheHash() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let created = try await live.client.post("/v1/sites/\(site.lower)/agents", token: admin, json: ["name": "lobby-pc-3"])
            #expect(created.status == 201)
            let body = try created.decoded(RegisteredAgentBody.self)
            let agent = body.agent, token = body.token
            // `SiteAgentBody` requires the nullable members: nil below is a written null.
            #expect(agent.siteId == site.lower)
            #expect(agent.name == "lobby-pc-3")
            #expect(agent.revokedAt == nil)
            #expect(agent.lastSeenAt == nil)

            let rows = try await live.database.query(
                "SELECT scope, site_id, token_hash FROM api_tokens WHERE agent_id = \(try #require(UUID(uuidString: agent.id)))")
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, column: "scope") == "agent")
            #expect(try row.decode(UUID?.self, column: "site_id") == site)
            #expect(Array(try row.decode(Data.self, column: "token_hash")) == APIToken.hash(token))
            // The token authenticates (agent scope: a read operation on its own site is 403, not 401).
            #expect(try await live.client.get("/v1/sites/\(site.lower)/agents", token: token).status == 403)
            // Listing never shows the token again.
            let list = try await live.client.get("/v1/sites/\(site.lower)/agents", token: admin)
            #expect(list.status == 200)
            #expect(try list.pageItems(SiteAgentBody.self).count == 1)
            #expect(!list.text.contains(token))
        }
    }

    @Test func agentNamesAreValidatedAndUnknownMembersRefused() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let missing = try await live.client.post("/v1/sites/\(site.lower)/agents", token: admin, json: ["label": "x"])
            #expect(missing.status == 422)
            #expect(Set(try missing.problemPointers()) == ["/name", "/label"])
            let long = try await live.client.post(
                "/v1/sites/\(site.lower)/agents", token: admin, json: ["name": String(repeating: "a", count: 256)])
            #expect(try long.problemPointers() == ["/name"])
            let nowhere = try await live.client.post("/v1/sites/\(UUID().lower)/agents", token: admin, json: ["name": "a"])
            #expect(nowhere.status == 404)
        }
    }

    @Test func revokedAgentsTokenIsUnauthorizedAndStaysListed() async throws {
        try await LiveService.with(configure: { $0.authCacheTTL = 0 }) { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            #expect(try await live.client.get("/v1/sites/\(site.lower)", token: agent.token).status == 403)
            #expect(try await live.client.delete("/v1/agents/\(agent.id.lower)", token: admin).status == 204)
            #expect(try await live.client.get("/v1/sites/\(site.lower)", token: agent.token).status == 401)
            // Idempotent; an unknown agent is 404.
            #expect(try await live.client.delete("/v1/agents/\(agent.id.lower)", token: admin).status == 204)
            #expect(try await live.client.delete("/v1/agents/\(UUID().lower)", token: admin).status == 404)
            let list = try await live.client.get("/v1/sites/\(site.lower)/agents", token: admin)
            #expect(try list.pageItems(SiteAgentBody.self).first?.revokedAt != nil)
        }
    }

    @Test func agentListsArePaginatedBySiteInIdOrder() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let other = try await live.fixtures.site()
            var expected: [String] = []
            for index in 0..<5 { expected.append(try await live.fixtures.agent(site: site, name: "a\(index)").id.lower) }
            _ = try await live.fixtures.agent(site: other)
            let first = try await live.client.get("/v1/sites/\(site.lower)/agents?limit=3", token: read)
            let next = try #require(first.nextLink)
            let second = try await live.client.get(next, token: read)
            #expect(second.nextLink == nil)
            let ids = try (first.pageItems(SiteAgentBody.self) + second.pageItems(SiteAgentBody.self)).map(\.id)
            #expect(ids == expected.sorted())
        }
    }
}
