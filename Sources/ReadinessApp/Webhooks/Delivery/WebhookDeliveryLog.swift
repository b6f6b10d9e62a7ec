import Foundation
import Postgres
import SystemCrypto

/// What the delivery routes read and write: the attempts of a subscription, a redelivery,
/// and the message ids of the test route's pings.
struct WebhookDeliveryLog: Sendable {
    let database: PostgresPool

    func webhookExists(_ id: UUID) async throws -> Bool {
        try await !database.query("SELECT 1 FROM webhooks WHERE id = \(id)", idempotent: true).isEmpty
    }

    /// A page of attempts, newest first; `webhook_attempts_webhook_idx (webhook_id, id DESC)` serves it.
    func page(webhook: UUID, before: Int?, limit: Int) async throws -> [WebhookDelivery] {
        let rows = try await database.query(
            """
            SELECT a.id, a.attempted_at, a.status_code, a.error, a.duration_ms, a.outcome, a.next_attempt_at,
                e.message_id, e.type, e.site_id, e.state
            FROM webhook_attempts a JOIN webhook_events e ON e.id = a.event_id
            WHERE a.webhook_id = \(webhook) AND a.id < \(before ?? Int.max)
            ORDER BY a.id DESC LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(WebhookDelivery.init(row:))
    }

    /// Puts the event of attempt `delivery` back in the outbox, due now, with its message id and
    /// frozen body (receivers deduplicate on `webhook-id`). An event still pending keeps its
    /// schedule: it may be in an attempt's lease right now, and moving it would send it twice.
    /// Nil when the subscription has no such attempt.
    func redeliver(webhook: UUID, delivery: Int, now: Date) async throws -> (messageID: String, state: String)? {
        let rows = try await database.query(
            """
            UPDATE webhook_events e SET state = 'pending',
                next_attempt_at = CASE WHEN e.state = 'pending' THEN e.next_attempt_at ELSE \(now) END
            FROM webhook_attempts a
            WHERE a.id = \(delivery) AND a.webhook_id = \(webhook) AND e.id = a.event_id
            RETURNING e.message_id, e.state
            """)
        guard let row = rows.first else { return nil }
        return (try row.decode(String.self, column: "message_id"), try row.decode(String.self, column: "state"))
    }

    /// `msg_` + 32 hex digits of randomness: unique without coordination between replicas.
    static func newMessageID() throws -> String {
        "msg_" + StoredSiteAssessment.hex(try SecureRandom.bytes(count: 16))
    }
}
