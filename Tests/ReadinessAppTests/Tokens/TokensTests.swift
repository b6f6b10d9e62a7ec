import JSON
import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct TokensTests {
    @Test func createdTokenIsShownOnceWorksAndIsListedWithoutSecrets() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/tokens", token: admin, json: [
                "name": "ServiceNow integration", "scope": "read", "expires_at": "2099-11-24T00:00:00Z",
            ])
            #expect(created.status == 201)
            let body = try created.decoded(CreatedTokenBody.self)
            let token = body.token, info = body.tokenInfo
            // `TokenBody` requires the nullable members: nil below is a written null.
            #expect(info.scope == "read")
            #expect(info.siteId == nil)
            #expect(info.expiresAt == "2099-11-24T00:00:00Z")
            #expect(info.lastUsedAt == nil)
            #expect(try await live.client.get("/v1/sites", token: token).status == 200)

            let list = try await live.client.get("/v1/tokens", token: admin)
            #expect(list.status == 200)
            #expect(!list.text.contains(token))
            #expect(!list.text.contains("hash"))
            let listed = try #require(try list.pageItems(TokenBody.self).first { $0.id == info.id })
            // The use a moment ago is recorded, as an RFC 3339 time (`Date` decodes only from one).
            let used = try #require(listed.lastUsedAt)
            #expect(abs(used.timeIntervalSinceNow) < 60, "last use is recorded")
        }
    }

    @Test func invalidTokenRequestsNameEveryFault() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let response = try await live.client.post("/v1/tokens", token: admin, json: [
                "scope": "agent", "expires_at": "2000-01-01T00:00:00Z", "site_id": "x",
            ])
            #expect(response.status == 422)
            #expect(Set(try response.problemPointers()) == ["/name", "/scope", "/expires_at", "/site_id"])
            let badDate = try await live.client.post("/v1/tokens", token: admin, json: ["name": "n", "scope": "read", "expires_at": "tomorrow"])
            #expect(try badDate.problemPointers() == ["/expires_at"])
        }
    }

    @Test func revokedTokenIsUnauthorizedAtOnceEvenAfterUse() async throws {
        try await LiveService.with(configure: { $0.authCacheTTL = 0 }) { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await PostgresTokenStore(database: live.database).createToken(name: "r", scope: .read, expiresAt: nil)
            #expect(try await live.client.get("/v1/sites", token: created.token).status == 200)
            #expect(try await live.client.delete("/v1/tokens/\(created.id.lower)", token: admin).status == 204)
            let after = try await live.client.get("/v1/sites", token: created.token)
            #expect(after.status == 401)
            #expect(after.header("WWW-Authenticate")?.contains("invalid_token") == true)
            #expect(try await live.client.delete("/v1/tokens/\(created.id.lower)", token: admin).status == 204)
            #expect(try await live.client.delete("/v1/tokens/\(UUID().lower)", token: admin).status == 404)
        }
    }

    @Test func revocationIsHonestWithTheDefaultCacheForATokenNeverUsedBefore() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await PostgresTokenStore(database: live.database).createToken(name: "r", scope: .read, expiresAt: nil)
            #expect(try await live.client.delete("/v1/tokens/\(created.id.lower)", token: admin).status == 204)
            #expect(try await live.client.get("/v1/sites", token: created.token).status == 401)
        }
    }

    @Test func expiredTokenIsUnauthorized() async throws {
        try await LiveService.with { live in
            let expired = try await live.fixtures.token(.admin, expiresAt: Date().addingTimeInterval(-60))
            let response = try await live.client.get("/v1/sites", token: expired)
            #expect(response.status == 401)
            // RFC 6750 §3.1: a token was sent and is not valid.
            #expect(response.header("WWW-Authenticate") == #"Bearer realm="readiness", error="invalid_token""#)
        }
    }

    @Test func tokenListIsPaginated() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            for index in 0..<4 { _ = try await live.fixtures.token(.read, name: "t\(index)") }
            var ids: [String] = []
            var next: String? = "/v1/tokens?limit=2"
            while let path = next {
                let page = try await live.client.get(path, token: admin)
                #expect(page.status == 200)
                ids += try page.pageItems(TokenBody.self).map(\.id)
                next = page.nextLink
            }
            #expect(ids.count == 5)
            #expect(ids == ids.sorted())
        }
    }
}
