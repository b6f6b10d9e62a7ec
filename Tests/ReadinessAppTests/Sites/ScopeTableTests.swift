import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Every operation of sites, agents, tokens and policies against every kind of caller.
@Suite struct ScopeTableTests {
    enum Caller: String, CaseIterable { case none, read, admin, agent }

    /// One operation: how to call it (fresh targets per call, so destructive calls do not
    /// interfere) and what each caller gets.
    struct Operation {
        let name: String
        let expected: [Caller: Int]
        let call: (LiveService, String?) async throws -> APIClient.Response
    }

    static func operations(site: UUID) -> [Operation] {
        let s = site.lower
        func op(_ name: String, admin: Int, read: Int, agent: Int = 403,
                _ call: @escaping (LiveService, String?) async throws -> APIClient.Response) -> Operation {
            Operation(name: name, expected: [.none: 401, .read: read, .admin: admin, .agent: agent], call: call)
        }
        return [
            op("createSite", admin: 201, read: 403) { try await $0.client.post("/v1/sites", token: $1, json: ["name": "n"]) },
            op("listSites", admin: 200, read: 200) { try await $0.client.get("/v1/sites", token: $1) },
            op("getSite", admin: 200, read: 200) { try await $0.client.get("/v1/sites/\(s)", token: $1) },
            op("updateSite", admin: 200, read: 403) { try await $0.client.patch("/v1/sites/\(s)", token: $1, json: ["expected_users": 5]) },
            op("archiveSite", admin: 204, read: 403) { live, token in
                try await live.client.delete("/v1/sites/\(try await live.fixtures.site().lower)", token: token)
            },
            op("setSitePolicy", admin: 200, read: 403) {
                try await $0.client.put("/v1/sites/\(s)/policy", token: $1, json: ["name": "sococo", "version": NSNull()])
            },
            op("createAgent", admin: 201, read: 403) { try await $0.client.post("/v1/sites/\(s)/agents", token: $1, json: ["name": "a"]) },
            op("listAgents", admin: 200, read: 200) { try await $0.client.get("/v1/sites/\(s)/agents", token: $1) },
            op("revokeAgent", admin: 204, read: 403) { live, token in
                let victim = try await live.fixtures.agent(site: try await live.fixtures.site())
                return try await live.client.delete("/v1/agents/\(victim.id.lower)", token: token)
            },
            op("createToken", admin: 201, read: 403) { try await $0.client.post("/v1/tokens", token: $1, json: ["name": "t", "scope": "read"]) },
            op("listTokens", admin: 200, read: 403) { try await $0.client.get("/v1/tokens", token: $1) },
            op("revokeToken", admin: 204, read: 403) { live, token in
                let victim = try await PostgresTokenStore(database: live.database).createToken(name: "victim", scope: .read, expiresAt: nil)
                return try await live.client.delete("/v1/tokens/\(victim.id.lower)", token: token)
            },
            op("listPolicies", admin: 200, read: 200) { try await $0.client.get("/v1/policies", token: $1) },
            op("getPolicy", admin: 200, read: 200) { try await $0.client.get("/v1/policies/sococo", token: $1) },
            op("createPolicyVersion", admin: 201, read: 403) { live, token in
                // The stored document sent back as it came.
                let document = try await live.client.get("/v1/policies/sococo", token: try await live.fixtures.token(.read))
                #expect(document.status == 200)
                return try await live.client.send("POST", "/v1/policies/sococo/versions", token: token, body: document.body)
            },
        ]
    }

    @Test func everyOperationAnswersEachCallerAsItsScopeSays() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let tokens: [Caller: String?] = [
                .none: nil, .read: try await live.fixtures.token(.read), .admin: try await live.fixtures.token(.admin),
                .agent: try await live.fixtures.agent(site: site).token,
            ]
            for operation in Self.operations(site: site) {
                for caller in Caller.allCases {
                    let response = try await operation.call(live, tokens[caller] ?? nil)
                    #expect(response.status == operation.expected[caller], "\(operation.name) as \(caller.rawValue): \(response.text)")
                    if response.status == 401 { #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer") == true) }
                }
            }
        }
    }

    @Test func anAgentTokenCannotSeeAnotherSiteAndCannotUseAdminOperations() async throws {
        try await LiveService.with { live in
            let siteA = try await live.fixtures.site(name: "A")
            let siteB = try await live.fixtures.site(name: "B")
            let agentA = try await live.fixtures.agent(site: siteA).token
            // Another site looks exactly like a site that does not exist.
            for path in ["/v1/sites/\(siteB.lower)", "/v1/sites/\(siteB.lower)/agents", "/v1/sites/\(UUID().lower)"] {
                let response = try await live.client.get(path, token: agentA)
                #expect(response.status == 404, "\(path)")
            }
            #expect(try await live.client.patch("/v1/sites/\(siteB.lower)", token: agentA, json: ["name": "x"]).status == 403)
            #expect(try await live.client.delete("/v1/sites/\(siteB.lower)", token: agentA).status == 403)
            #expect(try await live.client.post("/v1/sites/\(siteB.lower)/agents", token: agentA, json: ["name": "x"]).status == 403)
            #expect(try await live.client.post("/v1/tokens", token: agentA, json: ["name": "x", "scope": "admin"]).status == 403)
            let unchanged = try await live.client.get("/v1/sites/\(siteB.lower)", token: try await live.fixtures.token(.read))
            let untouched = try unchanged.decoded(SiteBody.self)
            #expect(untouched.name == "B")
            #expect(untouched.archivedAt == nil)  // `SiteBody` requires the member: a written null
        }
    }

    @Test func badOrMalformedTokensAreUnauthorizedWithAChallenge() async throws {
        try await LiveService.with { live in
            let madeUp = "rdy_" + String(repeating: "A", count: 43)
            for token in [madeUp, "nonsense"] {
                let response = try await live.client.get("/v1/sites", token: token)
                #expect(response.status == 401)
                #expect(response.header("WWW-Authenticate")?.contains("invalid_token") == true)
            }
        }
    }
}
