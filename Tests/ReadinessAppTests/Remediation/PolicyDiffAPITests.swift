import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct PolicyDiffAPITests {
    @Test func twoStoredVersionsDifferRuleByRule() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let read = try await live.fixtures.token(.read)
            var document = try PolicyDocumentTree(try await live.client.get("/v1/policies/sococo", token: read))
            let rtt = try #require(document.elements("/rules").firstIndex { $0["id"] == "rtt" })
            document["/rules/\(rtt)/tiers/0/limit"] = ["comparison": "lt", "value": 100]
            #expect(try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: try document.body()).status == 201)

            let response = try await live.client.get("/v1/policies/sococo/diff?from=1&to=2", token: read)
            #expect(response.status == 200)
            let diff = try response.decoded(PolicyDiffAnswer.self)
            #expect(diff.from == 1 && diff.to == 2)
            #expect(diff.added.isEmpty && diff.removed.isEmpty)
            #expect(diff.changed.count == 1 && diff.changed.first?.ruleId == "rtt")
            let fields = try #require(diff.changed.first?.fields)
            #expect(fields.count == 1)
            #expect(fields.first?.field == "tiers/optimal/limit/value")
            #expect(fields.first?.from == 150 && fields.first?.to == 100)

            let same = try await live.client.get("/v1/policies/sococo/diff?from=2&to=2", token: read).decoded(PolicyDiffAnswer.self)
            #expect(same.changed.isEmpty)
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
            #expect(try response.decoded(ProblemBody.self).pointers == pointers)
        }
    }
}
