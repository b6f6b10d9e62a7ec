import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct PolicyDiffAPITests {
    @Test func twoStoredVersionsDifferRuleByRule() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let read = try await live.fixtures.token(.read)
            var document = try #require(try await live.client.get("/v1/policies/sococo", token: read).json)
            var rules = try #require(document["rules"] as? [[String: Any]])
            let rtt = try #require(rules.firstIndex { $0["id"] as? String == "rtt" })
            var tiers = try #require(rules[rtt]["tiers"] as? [[String: Any]])
            tiers[0]["limit"] = ["comparison": "lt", "value": 100]
            rules[rtt]["tiers"] = tiers
            document["rules"] = rules
            #expect(try await live.client.post("/v1/policies/sococo/versions", token: admin, json: document).status == 201)

            let response = try await live.client.get("/v1/policies/sococo/diff?from=1&to=2", token: read)
            #expect(response.status == 200)
            let diff = try #require(response.json)
            #expect(diff["from"] as? Int == 1 && diff["to"] as? Int == 2)
            #expect((diff["added"] as? [Any])?.isEmpty == true && (diff["removed"] as? [Any])?.isEmpty == true)
            let changed = try #require(diff["changed"] as? [[String: Any]])
            #expect(changed.count == 1 && changed.first?["rule_id"] as? String == "rtt")
            let fields = try #require(changed.first?["fields"] as? [[String: Any]])
            #expect(fields.count == 1)
            #expect(fields.first?["field"] as? String == "tiers/optimal/limit/value")
            #expect(fields.first?["from"] as? Double == 150 && fields.first?["to"] as? Double == 100)

            let same = try #require(try await live.client.get("/v1/policies/sococo/diff?from=2&to=2", token: read).json)
            #expect((same["changed"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        ("/v1/policies/sococo/diff", 400, ["/query/from", "/query/to"]),
        ("/v1/policies/sococo/diff?from=1&to=zero", 400, ["/query/to"]),
        ("/v1/policies/sococo/diff?from=0&to=1", 400, ["/query/from"]),
        ("/v1/policies/sococo/diff?from=1&to=9", 404, []),
        ("/v1/policies/nothing/diff?from=1&to=1", 404, []),
    ])
    func badOrUnknownVersionsAreProblems(path: String, status: Int, pointers: [String]) async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let response = try await live.client.get(path, token: read)
            #expect(response.status == status)
            #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(response.errorPointers == pointers)
        }
    }
}
