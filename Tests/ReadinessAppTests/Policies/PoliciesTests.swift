import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct PoliciesTests {
    @Test func theDefaultPolicyIsListedAndServedWithASourceOnEveryRule() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let list = try await live.client.get("/v1/policies", token: read)
            #expect(list.status == 200)
            let sococo = try #require(list.items.first { $0["name"] as? String == "sococo" })
            #expect(sococo["latest_version"] as? Int == 1)
            #expect(sococo["versions"] as? [Int] == [1])

            let policy = try await live.client.get("/v1/policies/sococo", token: read)
            #expect(policy.status == 200)
            #expect(policy.json?["policy"] as? String == "sococo")
            #expect(policy.json?["version"] as? Int == 1)
            let rules = try #require(policy.json?["rules"] as? [[String: Any]])
            #expect(!rules.isEmpty)
            for rule in rules {
                #expect(["seed", "chime", "derived"].contains(rule["source"] as? String ?? ""), "\(rule["id"] ?? "")")
                #expect(rule["remediation"] is String)
            }
            #expect(try await live.client.get("/v1/policies/sococo?version=1", token: read).status == 200)
        }
    }

    @Test func unknownPoliciesAndVersionsAreNotFoundAndBadVersionsBadRequests() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            #expect(try await live.client.get("/v1/policies/sococo?version=9", token: read).status == 404)
            #expect(try await live.client.get("/v1/policies/nope", token: read).status == 404)
            #expect(try await live.client.get("/v1/policies/Not%20A%20Name", token: read).status == 404)
            #expect(try await live.client.get("/v1/policies/sococo?version=zero", token: read).status == 400)
            #expect(try await live.client.get("/v1/policies/sococo?version=0", token: read).status == 400)
        }
    }

    @Test func aNewVersionIsNumberedByTheServerAndBecomesTheNewest() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            var document = try #require(try await live.client.get("/v1/policies/sococo", token: admin).json)
            document["version"] = 42  // ignored: the server assigns versions
            document["title"] = "stricter"
            let created = try await live.client.post("/v1/policies/sococo/versions", token: admin, json: document)
            #expect(created.status == 201)
            #expect(created.json?["version"] as? Int == 2)
            #expect(created.json?["policy"] as? String == "sococo")
            #expect(created.header("Location") == "/v1/policies/sococo?version=2")
            let newest = try await live.client.get("/v1/policies/sococo", token: admin)
            #expect(newest.json?["version"] as? Int == 2)
            #expect(newest.json?["title"] as? String == "stricter")

            // A new name starts at version 1; the document's `policy` is taken from the path.
            document.removeValue(forKey: "policy")
            let fresh = try await live.client.post("/v1/policies/strict-eu/versions", token: admin, json: document)
            #expect(fresh.status == 201)
            #expect(fresh.json?["version"] as? Int == 1)
            #expect(fresh.json?["policy"] as? String == "strict-eu")
        }
    }

    @Test func anInvalidDocumentIsRefusedWithEveryFaultsPointer() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            var document = try #require(try await live.client.get("/v1/policies/sococo", token: admin).json)
            var rules = try #require(document["rules"] as? [[String: Any]])
            rules[0]["source"] = "rumour"
            document["rules"] = rules
            document["transport"] = ["media_route": "nowhere", "udp_443_route": "udp-443", "tls_route": "tcp-443"]
            document["policy"] = "other"
            document["owner"] = "me"
            let response = try await live.client.post("/v1/policies/sococo/versions", token: admin, json: document)
            #expect(response.status == 422)
            let pointers = Set(response.errorPointers)
            #expect(pointers.isSuperset(of: ["/rules/0/source", "/transport/media_route", "/policy", "/owner"]), "\(pointers)")
            let list = try await live.client.get("/v1/policies", token: admin)
            #expect(list.items.first?["versions"] as? [Int] == [1], "nothing was stored")

            // jsonb cannot hold U+0000: a 422 naming each place it appears, and nothing stored.
            var withNUL = try #require(try await live.client.get("/v1/policies/sococo", token: admin).json)
            withNUL["title"] = "strict\u{0}er"
            var nulRules = try #require(withNUL["rules"] as? [[String: Any]])
            nulRules[0]["source\u{0}"] = "x"
            withNUL["rules"] = nulRules
            let refused = try await live.client.post("/v1/policies/sococo/versions", token: admin, json: withNUL)
            #expect(refused.status == 422)
            #expect(Set(refused.errorPointers).isSuperset(of: ["/title", "/rules/0/source\u{0}"]), "\(refused.errorPointers)")
            #expect(try await live.client.get("/v1/policies", token: admin).items.first?["versions"] as? [Int] == [1])

            let wrongShape = try await live.client.post("/v1/policies/sococo/versions", token: admin, json: ["title": 5])
            #expect(wrongShape.status == 422)
            #expect(try await live.client.post("/v1/policies/Bad%20Name/versions", token: admin, json: document).status == 400)
        }
    }

    @Test func concurrentNewVersionsGetDistinctNumbers() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let document = try #require(try await live.client.get("/v1/policies/sococo", token: admin).json)
            let body = Body.json(document)
            let statuses = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let response = try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: body)
                        return (response.status, response.json?["version"] as? Int)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stored = statuses.filter { $0.0 == 201 }.compactMap(\.1)
            #expect(statuses.allSatisfy { $0.0 == 201 || $0.0 == 409 })
            #expect(stored.count == Set(stored).count, "no version number twice")
            let list = try await live.client.get("/v1/policies", token: admin)
            #expect(list.items.first?["versions"] as? [Int] == Array(1...(1 + stored.count)))
        }
    }
}
