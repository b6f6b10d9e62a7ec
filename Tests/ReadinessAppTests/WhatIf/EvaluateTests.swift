import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct EvaluateTests {
    static func body(result: String, site: String? = nil) -> Data {
        Data("{\"result\": \(result)\(site.map { ", \"site\": \($0)" } ?? "")}".utf8)
    }

    @Test func scoresAPostedResultWithoutStoringIt() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let result = ReadFixtures.goodJSON(at: Date() - 3600)
            let response = try await live.client.send(
                "POST", "/v1/policies/sococo/evaluate?version=1", token: token,
                body: Self.body(result: result, site: "{\"expected_users\": 40, \"longest_call_s\": 3600}"))
            #expect(response.status == 200)
            // 40 users need 40 × 2454 kbps × 1.25 down for optimal; 94 Mbit/s carries minimal only.
            let answer = try response.decoded(EvaluateAnswer.self)
            #expect(answer.verdict == "minimal")
            #expect(answer.policy == "sococo")
            #expect(answer.site.expectedConcurrentUsers == 40)
            let defaults = try await live.client.send(
                "POST", "/v1/policies/sococo/evaluate", token: token, body: Self.body(result: result))
            let defaultAnswer = try defaults.decoded(EvaluateAnswer.self)
            #expect(defaultAnswer.verdict == "optimal")
            #expect(defaultAnswer.site.expectedConcurrentUsers == 10)
            #expect(try await live.reads.count("results") == 0)
            #expect(try await live.reads.count("result_runs") == 0)
        }
    }

    @Test func invalidResultsAndSiteParametersAre422WithPointersUnderResult() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let result = ReadFixtures.resultJSON(runID: UUID(), at: Date() - 3600, rtt: 20, loss: 140)
            let response = try await live.client.send(
                "POST", "/v1/policies/sococo/evaluate", token: token,
                body: Self.body(result: result, site: "{\"expected_users\": 0, \"color\": 1}"))
            #expect(response.status == 422)
            #expect(Set(try response.problemPointers()) == ["/result/latency/0/loss_pct", "/site/expected_users", "/site/color"])

            let missing = try await live.client.send("POST", "/v1/policies/sococo/evaluate", token: token, body: Data("{}".utf8))
            #expect(try missing.problemPointers() == ["/result"])
        }
    }

    @Test func unknownPoliciesWrongMediaTypesAndScopesAreRefused() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let body = Self.body(result: ReadFixtures.goodJSON(at: Date() - 3600))
            #expect(try await live.client.send("POST", "/v1/policies/acme/evaluate", token: token, body: body).status == 404)
            #expect(try await live.client.send("POST", "/v1/policies/sococo/evaluate?version=9", token: token, body: body).status == 404)
            #expect(try await live.client.send("POST", "/v1/policies/sococo/evaluate?version=0", token: token, body: body).status == 400)
            #expect(try await live.client.send(
                "POST", "/v1/policies/sococo/evaluate", token: token, headers: ["Content-Type": "text/plain"], body: body).status == 415)
            #expect(try await live.client.send("POST", "/v1/policies/sococo/evaluate", token: token, body: Data("{".utf8)).status == 400)
            #expect(try await live.client.send("POST", "/v1/policies/sococo/evaluate", body: body).status == 401)
            let agent = try await live.fixtures.agent(site: try await live.fixtures.site())
            #expect(try await live.client.send("POST", "/v1/policies/sococo/evaluate", token: agent.token, body: body).status == 403)
        }
    }
}
