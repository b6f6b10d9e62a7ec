import Foundation
import Postgres

/// The outbox as the delivery worker reads and writes it (`webhook_events`, `webhook_attempts`).
struct OutboxStore: Sendable {
    let database: PostgresPool

    private static let returning = """
        RETURNING e.id, e.message_id, e.type, e.site_id, e.change_id, e.occurred_at, e.created_at,
            e.payload::text AS payload, e.attempts, w.id AS webhook_id, w.url, w.format, w.secret,
            w.previous_secret, w.previous_secret_expires_at
        """

    /// Claims up to `limit` due events of enabled subscriptions, each the oldest pending event
    /// of its (subscription, site), so one site's events reach a subscriber in order (a ping
    /// has no site and waits for nothing). `FOR UPDATE SKIP LOCKED`: replicas claiming at the
    /// same moment take different rows, and the lease written here keeps them off this one
    /// after the claim commits.
    func claimDue(now: Date, leaseUntil: Date, limit: Int) async throws -> [ClaimedEvent] {
        let rows = try await database.query(
            """
            WITH due AS (
                SELECT e.id FROM webhook_events e JOIN webhooks w ON w.id = e.webhook_id AND w.enabled
                WHERE e.state = 'pending' AND e.next_attempt_at <= \(now)
                  AND NOT EXISTS (
                      SELECT 1 FROM webhook_events o
                      WHERE o.webhook_id = e.webhook_id AND o.site_id = e.site_id AND o.state = 'pending' AND o.id < e.id)
                ORDER BY e.next_attempt_at, e.id
                LIMIT \(limit)
                FOR UPDATE OF e SKIP LOCKED
            )
            UPDATE webhook_events e SET attempts = e.attempts + 1, next_attempt_at = \(leaseUntil)
            FROM due, webhooks w WHERE e.id = due.id AND w.id = e.webhook_id
            \(unsafeRaw: Self.returning)
            """)
        return try rows.map(Self.claimed)
    }

    /// A `ping` for `webhook`, written already claimed by the caller (its lease keeps the
    /// workers off it), so the test route makes its first attempt itself.
    func insertClaimedPing(webhook: UUID, messageID: String, now: Date, leaseUntil: Date) async throws -> ClaimedEvent? {
        let rows = try await database.query(
            """
            WITH inserted AS (
                INSERT INTO webhook_events (webhook_id, message_id, type, occurred_at, attempts, next_attempt_at)
                VALUES (\(webhook), \(messageID), 'ping', \(now), 1, \(leaseUntil)) RETURNING *
            )
            SELECT e.id, e.message_id, e.type, e.site_id, e.change_id, e.occurred_at, e.created_at,
                e.payload::text AS payload, e.attempts, w.id AS webhook_id, w.url, w.format, w.secret,
                w.previous_secret, w.previous_secret_expires_at
            FROM inserted e JOIN webhooks w ON w.id = e.webhook_id
            """)
        return try rows.first.map(Self.claimed)
    }

    /// Stores `payload` unless a body is already frozen, and returns the frozen body: every
    /// attempt, on any replica, signs and sends the same bytes.
    func freeze(event id: Int, payload: [UInt8]) async throws -> String {
        let rows = try await database.query(
            """
            UPDATE webhook_events SET payload = COALESCE(payload, \(PostgresJSONB(bytes: payload)))
            WHERE id = \(id) RETURNING payload::text AS payload
            """)
        guard let row = rows.first else { throw OutboxError.eventVanished }
        return try row.decode(String.self, column: "payload")
    }

    /// One attempt's record, and the event's state after it, in one transaction. The event is
    /// only moved on while this worker's claim is still the current one (`attempts` unchanged).
    /// A 410 also disables the subscription, with the reason.
    func record(_ attempt: AttemptRecord, for event: ClaimedEvent) async throws -> Int {
        try await database.withTransaction { tx in
            let inserted = try tx.query(
                """
                INSERT INTO webhook_attempts (event_id, webhook_id, attempted_at, status_code, error, duration_ms, outcome, next_attempt_at)
                VALUES (\(event.id), \(event.target.webhookID), \(attempt.attemptedAt), \(attempt.statusCode), \(attempt.error),
                    \(attempt.durationMS), \(attempt.outcome.rawValue), \(attempt.nextAttemptAt))
                RETURNING id
                """)
            let state = switch attempt.outcome {
            case .delivered: "delivered"
            case .retry: "pending"
            case .failed, .disabled: "failed"
            }
            try tx.execute(
                """
                UPDATE webhook_events SET state = \(state), next_attempt_at = COALESCE(\(attempt.nextAttemptAt), next_attempt_at)
                WHERE id = \(event.id) AND attempts = \(event.attempts) AND state = 'pending'
                """)
            if attempt.outcome == .disabled {
                try tx.execute(
                    """
                    UPDATE webhooks SET enabled = false, updated_at = now(),
                        disabled_reason = 'the receiver answered 410 Gone on ' || to_char(\(attempt.attemptedAt) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    WHERE id = \(event.target.webhookID)
                    """)
            }
            return try inserted[0].decode(Int.self, column: "id")
        }
    }

    /// An event no attempt is made for (a PagerDuty subscription has no action for a ping or a
    /// site going stale): settled without a request, so it holds up no later event.
    func skip(_ event: ClaimedEvent) async throws {
        try await database.execute(
            "UPDATE webhook_events SET state = 'skipped' WHERE id = \(event.id) AND attempts = \(event.attempts) AND state = 'pending'")
    }

    private static func claimed(_ row: PostgresRow) throws -> ClaimedEvent {
        let formatText = try row.decode(String.self, column: "format")
        return ClaimedEvent(
            id: try row.decode(Int.self, column: "id"),
            messageID: try row.decode(String.self, column: "message_id"),
            type: try row.decode(String.self, column: "type"),
            siteID: try row.decode(UUID?.self, column: "site_id"),
            changeID: try row.decode(Int?.self, column: "change_id"),
            occurredAt: try row.decode(Date.self, column: "occurred_at"),
            createdAt: try row.decode(Date.self, column: "created_at"),
            payload: try row.decode(String?.self, column: "payload"),
            attempts: try row.decode(Int.self, column: "attempts"),
            target: DeliveryTarget(
                webhookID: try row.decode(UUID.self, column: "webhook_id"),
                url: try row.decode(String.self, column: "url"),
                format: WebhookFormat(rawValue: formatText) ?? .standard,
                secret: try row.decode(String.self, column: "secret"),
                previousSecret: try row.decode(String?.self, column: "previous_secret"),
                previousSecretExpiresAt: try row.decode(Date?.self, column: "previous_secret_expires_at")))
    }
}

/// One attempt as `webhook_attempts` keeps it.
struct AttemptRecord: Sendable {
    let attemptedAt: Date
    /// The receiver's status; nil when the request did not get an answer.
    let statusCode: Int?
    /// The transport failure (or why no request was made), naming no secret.
    let error: String?
    let durationMS: Int
    let outcome: DeliveryOutcome
    let nextAttemptAt: Date?
}

/// The outbox's own failure: a row the worker held was deleted under it (its subscription was).
enum OutboxError: Error, Sendable {
    case eventVanished
}
