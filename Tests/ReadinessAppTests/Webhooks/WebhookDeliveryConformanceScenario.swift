import Foundation
import Postgres
import Testing
import ReadinessServiceTestSupport

extension ResponseRecorder {
    /// The delivery operations' part of `ResponseConformanceTests`' scenario. The subscription
    /// points at a loopback address on a service without READINESS_WEBHOOK_ALLOW_PRIVATE, so
    /// the test ping is refused at send time (no network, no wait) and still logs an attempt
    /// to list and redeliver. Written with SQL: the API itself refuses such a URL.
    func exerciseWebhookDeliveries(admin: String, read: String, database: PostgresPool) async throws {
        let webhook = try await WebhookFixtures.webhook(database, url: "https://127.0.0.1:9/hook", secret: try WebhookFixtures.secret())
        let path = "/v1/webhooks/\(webhook.uuidString.lowercased())"
        let test = try await send("POST", path + "/test", token: admin)
        #expect(test.status == 200)
        try await send("POST", "/v1/webhooks/\(UUID())/test", token: admin)  // 404
        let deliveries = try await send("GET", path + "/deliveries?limit=1", token: admin)
        #expect(deliveries.status == 200)
        try await send("GET", path + "/deliveries?cursor=nonsense", token: admin)  // 400
        try await send("GET", path + "/deliveries", token: read)  // 403
        let delivery = try #require(try deliveries.decoded(DeliveryLogPage.self).items.first).id
        try await send("POST", path + "/deliveries/\(delivery)/redeliver", token: admin)
        try await send("POST", path + "/deliveries/dlv_999999999/redeliver", token: admin)  // 404
    }
}
