import Foundation
import Testing
@testable import ReadinessApp

/// The webhook answers' bytes as the API has written them (`Webhook`, `WebhookCreated`,
/// `WebhookDelivery` and the test and redeliver answers), pinned before their shapes moved
/// to one declaration each.
extension ResponseBytesTests {
    static func webhook(filtered: Bool) -> Webhook {
        Webhook(
            id: filtered ? run : site, name: filtered ? "ops \"east\"" : "bare", url: "https://hooks.example/in/x?a=b",
            format: filtered ? "standard" : "pagerduty", eventTypes: filtered ? ["site.verdict_changed", "site.stale"] : [],
            filters: filtered
                ? WebhookFilters(siteIDs: [site], regions: ["emea"], tags: nil, verdicts: ["not_ready"], findingCodes: nil,
                                 tiersBlocked: ["minimal", "optimal"])
                : WebhookFilters(),
            enabled: !filtered, disabledReason: filtered ? "the receiver answered 410 Gone" : nil,
            previousSecretExpiresAt: filtered ? at.addingTimeInterval(3600) : nil, createdAt: at, updatedAt: at.addingTimeInterval(1.5))
    }

    static let filteredWebhook = """
        {"created_at":"2025-12-03T00:00:00Z","disabled_reason":"the receiver answered 410 Gone","enabled":false,\
        "event_types":["site.verdict_changed","site.stale"],"filters":{"finding_codes":null,"regions":["emea"],\
        "site_ids":["12340000-0000-4000-8000-000000000002"],"tags":null,"tiers_blocked":["minimal","optimal"],\
        "verdicts":["not_ready"]},"format":"standard","id":"abcd0000-0000-4000-8000-000000000001","name":"ops \\"east\\"",\
        "previous_secret_expires_at":"2025-12-03T01:00:00Z","updated_at":"2025-12-03T00:00:01.5Z",\
        "url":"https://hooks.example/in/x?a=b"}
        """
    static let bareWebhook = """
        {"created_at":"2025-12-03T00:00:00Z","disabled_reason":null,"enabled":true,"event_types":[],\
        "filters":{"finding_codes":null,"regions":null,"site_ids":null,"tags":null,"tiers_blocked":null,"verdicts":null},\
        "format":"pagerduty","id":"12340000-0000-4000-8000-000000000002","name":"bare","previous_secret_expires_at":null,\
        "updated_at":"2025-12-03T00:00:01.5Z","url":"https://hooks.example/in/x?a=b"}
        """

    @Test func webhookAnswers() throws {
        let filtered = Self.webhook(filtered: true), bare = Self.webhook(filtered: false)
        let written = Self.text(try APIJSON.response(filtered).body)
        #expect(written == Self.filteredWebhook)
        // The `Encodable` form, from the same members, for values nested in types not yet converted.
        #expect(Self.text(Array(try APIJSON.encoder.encode(filtered))) == Self.filteredWebhook)
        #expect(Self.text(Array(try APIJSON.encoder.encode(Self.failedDelivery))) == Self.failedDeliveryBytes)
        let page = Page(fetched: [filtered, bare], limit: 1) { $0.id.apiString }
        #expect(Self.text(try APIJSON.response(page).body) == """
            {"items":[\(Self.filteredWebhook)],"next_cursor":"\(Cursor.encode(filtered.id.apiString))"}
            """)
        #expect(Self.text(try APIJSON.response(Page(fetched: [bare], limit: 5) { $0.id.apiString }).body) == """
            {"items":[\(Self.bareWebhook)],"next_cursor":null}
            """)
        #expect(Self.text(try APIJSON.response(WebhookCreated(webhook: filtered, secret: "whsec_c2VjcmV0"), status: .created).body) == """
            {"secret":"whsec_c2VjcmV0","webhook":\(Self.filteredWebhook)}
            """)
        #expect(Self.text(try APIJSON.response(WebhookCreated(webhook: bare, secret: nil)).body) == """
            {"secret":null,"webhook":\(Self.bareWebhook)}
            """)
    }

    static let failedDelivery = WebhookDelivery(
        id: "dlv_9", messageID: "msg_2a", eventType: "site.stale", siteID: site.apiString, attemptedAt: at, statusCode: 503,
        error: "the receiver answered 503", durationMS: 120, outcome: "failed", nextAttemptAt: at.addingTimeInterval(30),
        eventState: "pending", sequence: 9)
    static let pingDelivery = WebhookDelivery(
        id: "dlv_8", messageID: "msg_29", eventType: "webhook.test", siteID: nil, attemptedAt: at, statusCode: nil, error: nil,
        durationMS: 0, outcome: "delivered", nextAttemptAt: nil, eventState: "delivered", sequence: 8)
    static let failedDeliveryBytes = """
        {"attempted_at":"2025-12-03T00:00:00Z","duration_ms":120,"error":"the receiver answered 503",\
        "event_state":"pending","event_type":"site.stale","id":"dlv_9","message_id":"msg_2a",\
        "next_attempt_at":"2025-12-03T00:00:30Z","outcome":"failed","site_id":"12340000-0000-4000-8000-000000000002",\
        "status_code":503}
        """
    static let pingDeliveryBytes = """
        {"attempted_at":"2025-12-03T00:00:00Z","duration_ms":0,"error":null,"event_state":"delivered",\
        "event_type":"webhook.test","id":"dlv_8","message_id":"msg_29","next_attempt_at":null,"outcome":"delivered",\
        "site_id":null,"status_code":null}
        """

    @Test func webhookDeliveryAnswers() throws {
        let page = Page(fetched: [Self.failedDelivery, Self.pingDelivery], limit: 1) { String($0.sequence) }
        #expect(Self.text(try APIJSON.response(page).body) == """
            {"items":[\(Self.failedDeliveryBytes)],"next_cursor":"\(Cursor.encode("9"))"}
            """)
        #expect(Self.text(try APIJSON.response(Page(fetched: [Self.pingDelivery], limit: 2) { String($0.sequence) }).body) == """
            {"items":[\(Self.pingDeliveryBytes)],"next_cursor":null}
            """)
        let tested = WebhookTestOutcome(delivered: true, skipped: false, delivery: Self.pingDelivery)
        #expect(Self.text(try APIJSON.response(tested).body) == """
            {"delivered":true,"delivery":\(Self.pingDeliveryBytes),"skipped":false}
            """)
        #expect(Self.text(try APIJSON.response(WebhookTestOutcome(delivered: false, skipped: true, delivery: nil)).body) == """
            {"delivered":false,"delivery":null,"skipped":true}
            """)
        let redelivery = WebhookRedelivery(messageID: "msg_2a", eventState: "pending")
        #expect(Self.text(try APIJSON.response(redelivery, status: .accepted).body) == """
            {"event_state":"pending","message_id":"msg_2a"}
            """)
    }
}
