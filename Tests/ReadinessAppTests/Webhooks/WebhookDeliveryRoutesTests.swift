import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The delivery routes through the real server: the test ping answered with its attempt, the
/// delivery log paged with cursors, a redelivery, and who may call them.
@Suite(.serialized) struct WebhookDeliveryRoutesTests {
    @Test func testPingAnswersWithItsAttemptAndTheLogPagesAndRedelivers() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let admin = try await live.fixtures.token(.admin), read = try await live.fixtures.token(.read)
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            let path = "/v1/webhooks/\(webhook.lower)"

            let test = try await live.client.send("POST", path + "/test", token: admin)
            #expect(test.status == 200)
            let answer = try #require(test.json)
            #expect(answer["delivered"] as? Bool == true)
            let delivery = try #require(answer["delivery"] as? [String: Any])
            #expect(delivery["status_code"] as? Int == 200)
            #expect(delivery["event_type"] as? String == "ping")
            #expect((delivery["id"] as? String)?.hasPrefix("dlv_") == true)
            #expect(receiver.requests.first?.json["type"] as? String == "ping")
            _ = try await live.client.send("POST", path + "/test", token: admin)

            let first = try await live.client.get(path + "/deliveries?limit=1", token: admin)
            #expect(first.status == 200)
            let firstPage = try #require(first.json)
            #expect((firstPage["items"] as? [[String: Any]])?.count == 1)
            let cursor = try #require(firstPage["next_cursor"] as? String)
            let second = try #require(try await live.client.get(path + "/deliveries?limit=1&cursor=\(cursor)", token: admin).json)
            let oldest = try #require((second["items"] as? [[String: Any]])?.first)
            #expect(oldest["id"] as? String == delivery["id"] as? String)
            #expect(second["next_cursor"] is NSNull)

            let redelivered = try await live.client.send("POST", path + "/deliveries/\(delivery["id"] as? String ?? "")/redeliver", token: admin)
            #expect(redelivered.status == 202)
            #expect(redelivered.json?["message_id"] as? String == delivery["message_id"] as? String)
            try await WebhookFixtures.waitUntil("the redelivery arrives") { receiver.requests.count == 3 }
            #expect(receiver.requests[2].messageID == receiver.requests[0].messageID, "webhook-id is stable across redeliveries")
            #expect(receiver.requests[2].body == receiver.requests[0].body)

            #expect(try await live.client.send("POST", path + "/test", token: read).status == 403)
            #expect(try await live.client.get(path + "/deliveries", token: nil).status == 401)
            #expect(try await live.client.send("POST", "/v1/webhooks/\(UUID().lower)/test", token: admin).status == 404)
            #expect(try await live.client.send("POST", path + "/deliveries/dlv_999999/redeliver", token: admin).status == 404)
            #expect(try await live.client.get(path + "/deliveries?cursor=nonsense", token: admin).status == 400)
        }
    }

    @Test func metricsCountDeliveriesAndReadTheOutbox() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 200)])
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let read = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            // Not yet due: the outbox holds it.
            try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.verdict_changed", site: site, dueAt: Date().addingTimeInterval(3600))
            try await live.database.execute("UPDATE webhook_events SET created_at = now() - interval '90 seconds'")
            let waiting = MetricsTests.samples(try await live.client.get("/metrics", token: read).text)
            #expect(waiting["readiness_webhook_outbox_events"] == 1)
            #expect((waiting["readiness_webhook_outbox_oldest_age_seconds"] ?? 0) >= 89)

            try receiver.start()
            try await live.database.execute("UPDATE webhook_events SET next_attempt_at = now()")
            try await WebhookFixtures.waitUntil("delivered") { receiver.requests.count == 1 }
            try await WebhookFixtures.waitUntil("recorded") {
                try await WebhookFixtures.states(live.database).values.allSatisfy { $0 == "delivered" }
            }
            let after = MetricsTests.samples(try await live.client.get("/metrics", token: read).text)
            #expect(after["readiness_webhook_outbox_events"] == 0)
            #expect(after["readiness_webhook_outbox_oldest_age_seconds"] == 0)
            #expect(after[#"readiness_webhook_deliveries_total{outcome="delivered",format="standard"}"#] == 1)
        }
    }
}
