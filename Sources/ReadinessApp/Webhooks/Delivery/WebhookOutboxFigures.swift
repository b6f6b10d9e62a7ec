import Foundation
import Postgres

/// The outbox as every replica sees it, read when scraped: events waiting for delivery (to
/// enabled subscriptions) and the age of the oldest. One aggregate over the pending rows
/// (`webhook_events_due_idx` is partial on them): the cost follows the backlog, not the
/// history. Every replica reports the same figures: aggregate with `max`, not `sum`.
struct WebhookOutboxFigures {
    let pending: Int
    let oldestAgeSeconds: Double

    static func load(now: Date, database: PostgresPool) async throws -> WebhookOutboxFigures {
        let rows = try await database.query(
            """
            SELECT count(*)::int AS n, COALESCE(EXTRACT(EPOCH FROM (\(now) - min(e.created_at))), 0)::float8 AS age
            FROM webhook_events e JOIN webhooks w ON w.id = e.webhook_id AND w.enabled
            WHERE e.state = 'pending'
            """, idempotent: true)
        return WebhookOutboxFigures(
            pending: try rows[0].decode(Int.self, column: "n"), oldestAgeSeconds: max(0, try rows[0].decode(Double.self, column: "age")))
    }

    func append(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: """
            # HELP readiness_webhook_outbox_events Webhook events not yet delivered (pending, to enabled subscriptions).
            # TYPE readiness_webhook_outbox_events gauge
            readiness_webhook_outbox_events \(pending)
            # HELP readiness_webhook_outbox_oldest_age_seconds Age of the oldest webhook event not yet delivered; 0 when none waits.
            # TYPE readiness_webhook_outbox_oldest_age_seconds gauge
            readiness_webhook_outbox_oldest_age_seconds \(oldestAgeSeconds)

            """.utf8)
    }
}
