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

            let bodies = try receiver.requests.map { try $0.decoded(PagerDutyEventBody.self) }
            try #require(bodies.count == 4)
            for body in bodies {
                #expect(body.routingKey == routingKey)
                #expect(["trigger", "resolve"].contains(body.eventAction))
                #expect(body.dedupKey.hasPrefix("readiness:\(site.lower):"))
            }
            let triggers = bodies.filter { $0.eventAction == "trigger" }
            #expect(triggers.count == 2)
            for trigger in triggers {
                // The timestamp is read as an RFC 3339 time: decoding fails on anything else.
                let payload = try #require(trigger.payload)
                #expect(!payload.summary.isEmpty)
                #expect(payload.summary.count <= 1024)
                #expect(payload.source == "Depot (apac)")
                #expect(["critical", "error", "warning", "info"].contains(payload.severity))
            }
            #expect(bodies[0].dedupKey == "readiness:\(site.lower):not_ready")
            #expect(bodies[0].payload?.severity == "critical")
            #expect(bodies[1].dedupKey == "readiness:\(site.lower):\(code)")
            // Each resolve closes the incident its trigger opened: the same dedup_key.
            #expect(bodies[2].eventAction == "resolve" && bodies[2].dedupKey == bodies[0].dedupKey)
            #expect(bodies[3].eventAction == "resolve" && bodies[3].dedupKey == bodies[1].dedupKey)
            // A resolve leaves the member out rather than sending null.
            #expect(try receiver.requests[2].tree()["payload"] == nil)
        }
    }
}
