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
            let sococo = try #require(try list.decoded(PolicyListAnswer.self).items.first { $0.name == "sococo" })
            #expect(sococo.latestVersion == 1)
            #expect(sococo.versions == [1])

            let response = try await live.client.get("/v1/policies/sococo", token: read)
            #expect(response.status == 200)
            // Every rule's remediation is text: decoding fails on a rule without one.
            let policy = try response.decoded(PolicyAnswer.self)
            #expect(policy.policy == "sococo")
            #expect(policy.version == 1)
            #expect(!policy.rules.isEmpty)
            for rule in policy.rules {
                #expect(["seed", "chime", "derived"].contains(rule.source), "\(rule.id)")
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
            var document = try PolicyDocumentTree(try await live.client.get("/v1/policies/sococo", token: admin))
            document["/version"] = 42  // ignored: the server assigns versions
            document["/title"] = "stricter"
            let created = try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: try document.body())
            #expect(created.status == 201)
            let stored = try created.decoded(PolicyAnswer.self)
            #expect(stored.version == 2)
            #expect(stored.policy == "sococo")
            #expect(created.header("Location") == "/v1/policies/sococo?version=2")
            let newest = try await live.client.get("/v1/policies/sococo", token: admin).decoded(PolicyAnswer.self)
            #expect(newest.version == 2)
            #expect(newest.title == "stricter")

            // A new name starts at version 1; the document's `policy` is taken from the path.
            document["/policy"] = nil
            let fresh = try await live.client.send("POST", "/v1/policies/strict-eu/versions", token: admin, body: try document.body())
            #expect(fresh.status == 201)
            let freshPolicy = try fresh.decoded(PolicyAnswer.self)
            #expect(freshPolicy.version == 1)
            #expect(freshPolicy.policy == "strict-eu")
        }
    }

    @Test func anInvalidDocumentIsRefusedWithEveryFaultsPointer() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            var document = try PolicyDocumentTree(try await live.client.get("/v1/policies/sococo", token: admin))
            document["/rules/0/source"] = "rumour"
            document["/transport"] = ["media_route": "nowhere", "udp_443_route": "udp-443", "tls_route": "tcp-443"]
            document["/policy"] = "other"
            document["/owner"] = "me"
            let response = try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: try document.body())
            #expect(response.status == 422)
            let pointers = Set(try response.decoded(ProblemBody.self).pointers)
            #expect(pointers.isSuperset(of: ["/rules/0/source", "/transport/media_route", "/policy", "/owner"]), "\(pointers)")
            let list = try await live.client.get("/v1/policies", token: admin)
            #expect(try list.decoded(PolicyListAnswer.self).items.first?.versions == [1], "nothing was stored")

            // jsonb cannot hold U+0000: a 422 naming each place it appears, and nothing stored.
            var withNUL = try PolicyDocumentTree(try await live.client.get("/v1/policies/sococo", token: admin))
            withNUL["/title"] = "strict\u{0}er"
            withNUL["/rules/0/source\u{0}"] = "x"
            let refused = try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: try withNUL.body())
            #expect(refused.status == 422)
            let refusedPointers = try refused.decoded(ProblemBody.self).pointers
            #expect(Set(refusedPointers).isSuperset(of: ["/title", "/rules/0/source\u{0}"]), "\(refusedPointers)")
            #expect(try await live.client.get("/v1/policies", token: admin).decoded(PolicyListAnswer.self).items.first?.versions == [1])

            let wrongShape = try await live.client.post("/v1/policies/sococo/versions", token: admin, json: ["title": 5])
            #expect(wrongShape.status == 422)
            #expect(try await live.client.send("POST", "/v1/policies/Bad%20Name/versions", token: admin, body: try document.body()).status == 400)
        }
    }

    @Test func concurrentNewVersionsGetDistinctNumbers() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let body = try PolicyDocumentTree(try await live.client.get("/v1/policies/sococo", token: admin)).body()
            let statuses = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let response = try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: body)
                        return (response.status, response.status == 201 ? try response.decoded(PolicyAnswer.self).version : nil)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stored = statuses.filter { $0.0 == 201 }.compactMap(\.1)
            #expect(statuses.allSatisfy { $0.0 == 201 || $0.0 == 409 })
            #expect(stored.count == Set(stored).count, "no version number twice")
            let list = try await live.client.get("/v1/policies", token: admin)
            #expect(try list.decoded(PolicyListAnswer.self).items.first?.versions == Array(1...(1 + stored.count)))
        }
    }
}
