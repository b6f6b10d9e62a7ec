import Foundation
import JSON
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
            let answer = try test.decoded(DeliveryTestAnswer.self)
            #expect(answer.delivered == true)
            let delivery = answer.delivery
            #expect(delivery.statusCode == 200)
            #expect(delivery.eventType == "ping")
            #expect(delivery.id.hasPrefix("dlv_"))
            #expect(try receiver.requests.first?.decoded(WebhookEventBody.self).type == "ping")
            _ = try await live.client.send("POST", path + "/test", token: admin)

            let first = try await live.client.get(path + "/deliveries?limit=1", token: admin)
            #expect(first.status == 200)
            let firstPage = try first.decoded(DeliveryLogPage.self)
            #expect(firstPage.items.count == 1)
            let cursor = try #require(firstPage.nextCursor)
            let second = try await live.client.get(path + "/deliveries?limit=1&cursor=\(cursor)", token: admin)
            let oldest = try #require(try second.decoded(DeliveryLogPage.self).items.first)
            #expect(oldest.id == delivery.id)
            #expect(try JSONParser.parse(second.body)["next_cursor"] == .null)

            let redelivered = try await live.client.send("POST", path + "/deliveries/\(delivery.id)/redeliver", token: admin)
            #expect(redelivered.status == 202)
            #expect(try redelivered.decoded(DeliveryRedeliveryAnswer.self).messageId == delivery.messageId)
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
