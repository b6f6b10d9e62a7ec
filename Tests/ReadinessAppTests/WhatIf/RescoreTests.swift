import Foundation
import JSON
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct RescoreTests {
    /// Version 2 of the default policy with an optimal RTT limit of 10 ms: the stored good
    /// results (21 ms) drop from optimal to minimal under it.
    static func storeStricterVersion(_ database: PostgresPool) async throws {
        var document = try BundledPolicy.sococo().document
        document.version = 2
        for index in document.rules.indices where document.rules[index].kind == "rtt" {
            for tier in document.rules[index].tiers.indices where document.rules[index].tiers[tier].tier == "optimal" {
                document.rules[index].tiers[tier].limit?.value = 10
            }
        }
        try await database.execute(
            "INSERT INTO policies (name, version, document) VALUES ('sococo', 2, \(try PostgresJSONB(encoding: document)))")
    }

    @Test func rescoreReturnsTheWouldBeHistoryAndChangesNothing() async throws {
        let dayStart = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - 2 * 86_400)
        // The service's clock at 02:00 today, whatever the hour the test runs: the series' newest
        // result (24 h 55 min after it starts) is then more than a day old. On the wall clock it
        // was not, between midnight and 00:55 UTC, and the assessment was not yet stale.
        let clock = ManualDateClock(dayStart.addingTimeInterval(2 * 86_400 + 2 * 3_600))
        try await LiveService.with(clock: clock.function) { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            try await Self.storeStricterVersion(live.database)
            try await live.reads.insertSeries(site: site, start: dayStart, count: 288 + 12, policy: try BundledPolicy.sococo())
            let before = try await live.database.query("SELECT verdict, count(*)::int AS n FROM results GROUP BY verdict ORDER BY verdict")

            let response = try await live.client.send("POST", "/v1/sites/\(site)/rescore?policy=sococo&version=2&bucket=day", token: token)
            #expect(response.status == 200)
            let body = try response.decoded(RescoreAnswer.self)
            #expect(body.policy.version == 2)
            let points = body.points
            try #require(points.count == 2)
            #expect(points[0].verdict == "not_ready")  // its first hour is still 500 ms
            #expect(points[0].resultCount == 288)
            #expect(points[1].verdict == "minimal")
            #expect(points[1].rttMsP50 == 21.0)
            let assessment = body.assessment
            // The API's SiteAssessment, as GET …/assessment answers, not the stored domain form.
            #expect(assessment.siteId == site.uuidString.lowercased())
            #expect(assessment.policy.version == 2)
            // The newest result is more than a day old: stale, and minimal before it went stale.
            #expect(assessment.verdict == "stale")
            #expect(assessment.lastVerdict == "minimal")
            #expect(assessment.confidence.agentCount == 1)
            // Members of the stored domain form are absent, not merely null.
            let tree = try JSONParser.parse(response.body)
            #expect(tree["assessment"]?["policy_version"] == nil && tree["assessment"]?["runs"] == nil)

            let stored = try await live.client.get("/v1/sites/\(site)/history?bucket=day", token: token)
            #expect(try stored.decoded(RescoreHistoryAnswer.self).points.last?.verdict == "optimal")
            let after = try await live.database.query("SELECT verdict, count(*)::int AS n FROM results GROUP BY verdict ORDER BY verdict")
            #expect(try after.map { try $0.decode(Int.self, column: "n") } == before.map { try $0.decode(Int.self, column: "n") })
            #expect(try await live.reads.count("site_assessments") == 0)
            #expect(try await live.reads.count("site_changes") == 0)
        }
    }

    @Test func rescoreRefusesUnknownPoliciesSitesAndScopes() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            #expect(try await live.client.send("POST", "/v1/sites/\(site)/rescore?policy=acme", token: token).status == 404)
            #expect(try await live.client.send("POST", "/v1/sites/\(site)/rescore?version=7", token: token).status == 404)
            #expect(try await live.client.send("POST", "/v1/sites/\(UUID())/rescore", token: token).status == 404)
            #expect(try await live.client.send("POST", "/v1/sites/\(site)/rescore?bucket=week", token: token).status == 400)
            #expect(try await live.client.send("POST", "/v1/sites/\(site)/rescore").status == 401)
            let empty = try await live.client.send("POST", "/v1/sites/\(site)/rescore", token: token)
            #expect(empty.status == 200)
            #expect(try empty.decoded(RescoreAnswer.self).assessment.verdict == "stale")
        }
    }
}
