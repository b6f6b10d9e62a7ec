import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// `pagerduty` subscriptions: Events API v2 bodies (developer.pagerduty.com, "Send an Alert
/// Event": `routing_key`, `event_action`, `dedup_key`, and for a trigger `payload.summary`,
/// `payload.source`, `payload.severity` one of critical/error/warning/info).
@Suite(.serialized) struct PagerDutyDeliveryTests {
    @Test func notReadyTriggersAndRecoveryResolvesOneIncidentPerSiteAndCode() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 202)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site(name: "Depot", region: "apac")
            let agent = try await live.fixtures.agent(site: site)
            let bad = ReadFixtures.badJSON(at: Date().addingTimeInterval(-60))
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(bad.utf8)).status == 201)
            func change(_ kind: String, from: String?, to: String?, code: String? = nil, toStatus: String? = nil) async throws -> Int {
                try await live.database.query(
                    """
                    INSERT INTO site_changes (site_id, at, kind, code, from_verdict, to_verdict, to_status)
                    VALUES (\(site), now(), \(kind), \(code), \(from), \(to), \(toStatus)) RETURNING id
                    """)[0].decode(Int.self, column: "id")
            }
            let routingKey = "R0UTINGKEY0123456789abcdef012345"
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, format: "pagerduty", secret: routingKey)
            let failing = try await live.database.query(
                "SELECT finding_codes FROM site_assessments WHERE site_id = \(site)")[0].decode([String].self, column: "finding_codes")
            let code = try #require(failing.first)
            // The change rows' own trigger (migration 0020) enqueues their events; the stale
            // event is the sweep's, written here as it writes it, between them.
            _ = try await change("verdict_changed", from: "optimal", to: "not_ready")
            _ = try await change("finding_appeared", from: nil, to: nil, code: code, toStatus: "fail")
            let stale = try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.stale", site: site)
            _ = try await change("verdict_changed", from: "not_ready", to: "minimal")
            _ = try await change("finding_cleared", from: nil, to: nil, code: code, toStatus: "pass")
            #expect(try await live.database.query("SELECT count(*) AS n FROM webhook_events WHERE webhook_id = \(webhook)")[0]
                .decode(Int.self, column: "n") == 5)
            try await WebhookFixtures.waitUntil("every event is settled") {
                try await WebhookFixtures.states(live.database).values.allSatisfy { $0 != "pending" }
            }
            let states = try await WebhookFixtures.states(live.database)
            #expect(states[stale] == "skipped", "PagerDuty has no action for a stale site")

            let bodies = receiver.requests.map(\.json)
            #expect(bodies.count == 4)
            for body in bodies {
                #expect(body["routing_key"] as? String == routingKey)
                #expect(["trigger", "resolve"].contains(body["event_action"] as? String ?? ""))
                #expect((body["dedup_key"] as? String)?.hasPrefix("readiness:\(site.lower):") == true)
            }
            let triggers = bodies.filter { $0["event_action"] as? String == "trigger" }
            #expect(triggers.count == 2)
            for trigger in triggers {
                let payload = try #require(trigger["payload"] as? [String: Any])
                #expect((payload["summary"] as? String)?.isEmpty == false)
                #expect((payload["summary"] as? String ?? "").count <= 1024)
                #expect(payload["source"] as? String == "Depot (apac)")
                #expect(["critical", "error", "warning", "info"].contains(payload["severity"] as? String ?? ""))
                #expect(payload["timestamp"] is String)
            }
            #expect(bodies[0]["dedup_key"] as? String == "readiness:\(site.lower):not_ready")
            #expect((bodies[0]["payload"] as? [String: Any])?["severity"] as? String == "critical")
            #expect(bodies[1]["dedup_key"] as? String == "readiness:\(site.lower):\(code)")
            // Each resolve closes the incident its trigger opened: the same dedup_key.
            #expect(bodies[2]["event_action"] as? String == "resolve" && bodies[2]["dedup_key"] as? String == bodies[0]["dedup_key"] as? String)
            #expect(bodies[3]["event_action"] as? String == "resolve" && bodies[3]["dedup_key"] as? String == bodies[1]["dedup_key"] as? String)
            #expect(bodies[2]["payload"] == nil)
        }
    }
}
