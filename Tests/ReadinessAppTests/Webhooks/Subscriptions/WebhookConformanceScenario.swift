import Foundation
import Testing
import ReadinessServiceTestSupport

extension ResponseRecorder {
    /// The subscription operations' part of `ResponseConformanceTests`' scenario: each one's
    /// successes and the faults clients meet most, on a service without
    /// READINESS_WEBHOOK_ALLOW_PRIVATE (so the URLs are public literal addresses: no DNS).
    func exerciseWebhookSubscriptions(admin: String, read: String) async throws {
        let created = try await send("POST", "/v1/webhooks", token: admin, json: [
            "name": "Conformance", "url": "https://93.184.216.34/hook",
            "event_types": ["site.verdict_changed", "site.stale"], "filters": ["regions": ["emea"], "tiers_blocked": ["minimal"]],
        ])
        #expect(created.status == 201)
        let id = try created.decoded(WebhookCreatedAnswer.self).webhook.id
        try await send("POST", "/v1/webhooks", token: admin, json: ["name": "x", "url": "https://127.0.0.1/"])  // 422
        let pagerDuty = try await send("POST", "/v1/webhooks", token: admin, json: [
            "name": "On-call", "url": "https://93.184.216.34/v2/enqueue", "format": "pagerduty",
            "event_types": ["site.finding_appeared"], "routing_key": "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12",
        ])
        let pagerDutyID = try pagerDuty.decoded(WebhookCreatedAnswer.self).webhook.id
        try await send("GET", "/v1/webhooks?limit=1", token: admin)
        try await send("GET", "/v1/webhooks", token: read)  // 403
        try await send("GET", "/v1/webhooks/\(id)", token: admin)
        try await send("GET", "/v1/webhooks/\(UUID())", token: admin)  // 404
        try await send("PATCH", "/v1/webhooks/\(id)", token: admin, json: ["enabled": false, "filters": ["regions": NSNull()]],
                       headers: ["Content-Type": "application/merge-patch+json"])
        try await send("PATCH", "/v1/webhooks/\(id)", token: admin, json: ["format": "pagerduty"],
                       headers: ["Content-Type": "application/merge-patch+json"])  // 422
        try await send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin)
        try await send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["overlap_s": 999_999])  // 422
        try await send("POST", "/v1/webhooks/\(pagerDutyID)/rotate-secret", token: admin,
                       json: ["routing_key": "NEWKEY0123456789NEWKEY0123456789"])
        try await send("DELETE", "/v1/webhooks/\(pagerDutyID)", token: admin)
    }
}
