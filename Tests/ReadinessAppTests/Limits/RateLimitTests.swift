import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Budgets agents and tokens understand: 429 with Retry-After, the RateLimit fields and a
/// problem document; results counted, not requests, so a day's spool still goes through.
@Suite struct RateLimitTests {
    static func storedResults(_ live: LiveService) async throws -> Int {
        try await live.database.query("SELECT count(*)::int8 AS n FROM results").first?.decode(Int.self, column: "n") ?? -1
    }

    /// The one sample of `series{labels}` in `GET /metrics`, or nil.
    static func metric(_ live: LiveService, _ series: String) async throws -> Double? {
        let token = try await live.fixtures.token(.read, name: "metrics")
        let text = try await live.client.get("/metrics", token: token).text
        return text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    static func hourly(_ count: Int, from start: Date) -> [[String: Any]] {
        (0..<count).map { ResultSamples.json(runID: UUID(), startedAt: start.addingTimeInterval(Double($0) * 3600)) }
    }

    @Test func anAgentOverItsResultBudgetGets429WithRetryAfterAndTheRateLimitFields() async throws {
        // 2 results an hour (the plan's interval), one hour of backlog: two uploads, then 429.
        // A clock that stands still: the Retry-After is then exactly the 30 minutes the budget
        // computes, however long a loaded machine takes between the uploads.
        let clock = ManualDateClock()
        try await LiveService.with(clock: clock.function, configure: {
            $0.limits.uploadsPerInterval = 2
            $0.limits.uploadBacklog = 3600
        }) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            for _ in 0..<2 {
                let stored = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
                #expect(stored.status == 201)
            }
            let refused = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            #expect(refused.status == 429)
            #expect(refused.header("Content-Type") == "application/problem+json")
            let problem = try refused.decoded(ProblemBody.self)
            #expect(problem.type == "/problems/rate-limited")
            #expect(problem.status == 429)
            // Each result costs half an hour of budget: the next one fits in 30 minutes.
            let retryAfter = try #require(refused.header("Retry-After").flatMap { Int($0) })
            #expect((1790...1800).contains(retryAfter), "Retry-After \(retryAfter)")
            #expect(refused.header("RateLimit-Policy") == "\"results\";q=2;w=3600")
            #expect(refused.header("RateLimit") == "\"results\";r=0;t=\(retryAfter)")
            #expect(try await Self.storedResults(live) == 2, "nothing of the refused upload is stored")
            #expect(try await Self.metric(live, #"readiness_rate_limited_requests_total{budget="results",route="/v1/results"}"#) == 1)
            // Another agent of the same site has a budget of its own.
            let other = try await live.fixtures.agent(site: site, name: "other")
            let otherUpload = try await live.client.send("POST", "/v1/results", token: other.token, body: ResultSamples.single())
            #expect(otherUpload.status == 201)
        }
    }

    @Test func aDaysSpoolAfterAnOutageIsAcceptedInOneBatchAndTheDefaultBudgetStillHolds() async throws {
        // Defaults: 12 results per hourly plan interval, a day of backlog: 288 results.
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let now = Date()
            // A day-long outage: 24 hourly runs spooled, sent as one batch.
            let spool = try await live.client.send(
                "POST", "/v1/results", token: agent.token, body: ResultSamples.batch(Self.hourly(24, from: now.addingTimeInterval(-86_400))))
            #expect(spool.status == 201)
            #expect(try spool.decoded(UploadBatchBody.self).results.count == 24)
            // The rest of the day's budget in a second batch (older runs), then it is spent.
            let rest = try await live.client.send(
                "POST", "/v1/results", token: agent.token,
                body: ResultSamples.batch(Self.hourly(264, from: now.addingTimeInterval(-11 * 86_400))))
            #expect(rest.status == 201)
            let refused = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            #expect(refused.status == 429)
            #expect(refused.header("RateLimit-Policy") == "\"results\";q=288;w=86400")
            #expect(try await Self.storedResults(live) == 288)
        }
    }

    @Test func aTokenOverItsRequestBudgetGets429AndOtherTokensDoNot() async throws {
        // A burst of 3, then one request a second. The clock stands still: on a running one a
        // loaded machine (the suite in parallel) let a second pass within the burst and refill it.
        let clock = ManualDateClock()
        try await LiveService.with(clock: clock.function, configure: {
            $0.limits.requestsPerSecond = 1
            $0.limits.requestBurst = 3
        }) { live in
            let token = try await live.fixtures.token(.read, name: "busy")
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await live.client.get("/v1/sites", token: token).status) }
            #expect(statuses == [200, 200, 200, 429])
            let refused = try await live.client.get("/v1/sites", token: token)
            #expect(refused.status == 429)
            #expect(try refused.decoded(ProblemBody.self).type == "/problems/rate-limited")
            #expect(refused.header("Retry-After") == "1")
            #expect(refused.header("RateLimit-Policy") == "\"requests\";q=3;w=3")
            #expect(refused.header("RateLimit") == "\"requests\";r=0;t=1")
            // The budget lives in PostgreSQL, shared by every replica.
            let rows = try await live.database.query("SELECT count(*)::int8 AS n FROM rate_budgets WHERE key LIKE 'token:%'")
            #expect(try rows.first?.decode(Int.self, column: "n") == 1)
            let other = try await live.fixtures.token(.read, name: "quiet")
            #expect(try await live.client.get("/v1/sites", token: other).status == 200)
            #expect(try await Self.metric(live, #"readiness_rate_limited_requests_total{budget="requests",route="/v1/sites"}"#) == 2)
        }
    }
}
