import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Bodies quote a site's findings as its assessment has them, though delivery reads only the
/// findings a body can name from the stored document (`WebhookPayloadBuilder.contexts`): every
/// failing or warning one for a verdict change, and a finding event's own, passing or not.
@Suite(.serialized) struct WebhookPayloadFindingsTests {
    struct APIFinding: Decodable {
        let ruleId: String
        let code: String
        let status: String
        let remediation: String
    }

    struct APIAssessment: Decodable {
        let findings: [APIFinding]
    }

    @Test func bodiesNameTheFailingAndWarningFindingsAndAClearedOneAsTheAssessmentDoes() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 204)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site(name: "Branch 9")
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let bad = ReadFixtures.badJSON(at: Date().addingTimeInterval(-60))
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(bad.utf8)).status == 201)
            let findings = try await live.client.get("/v1/sites/\(site.lower)/assessment", token: read).decoded(APIAssessment.self).findings
            let problems = findings.filter { $0.status == "fail" || $0.status == "warn" }
                .sorted { ($0.status == "fail" ? 0 : 1, $0.code) < ($1.status == "fail" ? 0 : 1, $1.code) }
            let passing = try #require(findings.last { $0.status == "pass" })
            // Something the read leaves out: more findings pass than the one the event names.
            #expect(!problems.isEmpty && findings.count > problems.count + 1)

            let verdictChange = try await live.database.query(
                """
                INSERT INTO site_changes (site_id, at, run_id, kind, from_verdict, to_verdict)
                VALUES (\(site), now(), \(UUID()), 'verdict_changed', 'optimal', 'not_ready') RETURNING id
                """)[0].decode(Int.self, column: "id")
            let cleared = try await live.database.query(
                """
                INSERT INTO site_changes (site_id, at, run_id, kind, code, rule_id, from_status, to_status)
                VALUES (\(site), now(), \(UUID()), 'finding_cleared', \(passing.code), \(passing.ruleId), 'fail', 'pass') RETURNING id
                """)[0].decode(Int.self, column: "id")
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.verdict_changed", site: site, change: verdictChange)
            try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.finding_cleared", site: site, change: cleared)
            try await WebhookFixtures.waitUntil("both events are delivered") { receiver.requests.count == 2 }

            let bodies = try receiver.requests.map { try $0.decoded(WebhookEventBody.self) }
            let verdictBody = try #require(bodies.first { $0.type == "site.verdict_changed" })
            #expect(verdictBody.data.findings.map(\.code) == problems.map(\.code))
            #expect(verdictBody.data.findings.map(\.status) == problems.map(\.status))
            #expect(verdictBody.data.findings.map(\.remediation) == problems.map(\.remediation))
            let clearedBody = try #require(bodies.first { $0.type == "site.finding_cleared" })
            #expect(clearedBody.data.findings.map(\.code) == [passing.code])
            #expect(clearedBody.data.findings.first?.status == "pass")
            #expect(clearedBody.data.findings.first?.remediation == passing.remediation)
        }
    }
}
