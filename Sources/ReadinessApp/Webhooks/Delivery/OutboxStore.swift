import Foundation
import Postgres

/// The outbox as the delivery worker reads and writes it (`webhook_events`, `webhook_attempts`).
struct OutboxStore: Sendable {
    let database: PostgresPool

    private static let returning = """
        RETURNING e.id, e.message_id, e.type, e.site_id, e.change_id, e.occurred_at, e.created_at,
            e.payload, e.attempts, w.id AS webhook_id, w.url, w.format, w.secret,
            w.previous_secret, w.previous_secret_expires_at
        """

    /// Claims up to `limit` due events of enabled subscriptions, each the oldest pending event
    /// of its (subscription, site), so one site's events reach a subscriber in order (a ping
    /// has no site and waits for nothing). `FOR UPDATE SKIP LOCKED`: replicas claiming at the
    /// same moment take different rows, and the lease written here (`leased_until`, in no
    /// index: the claim rewrites the row in its page, migration 0024) keeps them off this one
    /// after the claim commits. Committed without waiting for the WAL flush
    /// (``commitWithoutFlush``): a claim lost in a crash leaves the event due, and it is claimed
    /// and sent again, which at-least-once delivery allows.
    func claimDue(now: Date, leaseUntil: Date, limit: Int) async throws -> [ClaimedEvent] {
        let statements = Self.claimStatements(now: now, leaseUntil: leaseUntil, limit: limit)
        // BEGIN, the settings, the claim and COMMIT in one round trip.
        let rows = try await database.withTransaction { tx in try tx.commit(after: statements)[statements.count - 1] }
        return try rows.map(Self.claimed)
    }

    /// The claim's settings and, last, the claim itself (apart so a test can EXPLAIN it).
    ///
    /// Its cost must follow `limit`, not the backlog, whatever the planner believes. The
    /// statistics of `webhook_events` mostly describe delivered history: after an ANALYZE that
    /// saw no pending event, the planner expects one, however many a burst has since written,
    /// and every plan looks as cheap as any other. It then chose a nested loop that compared
    /// each pending event with every other (a claim of 32 from 10,000 tied events took 40 s).
    /// So the claim walks `webhook_events_due_idx` in its own order (migration 0028) and stops
    /// after `limit`; whether an event is its (subscription, site)'s oldest pending one is one
    /// probe of `webhook_events_order_idx` per event walked; and `enable_sort = off` rules out
    /// the two plans a stale estimate makes look free: sorting every due event, and sorting a
    /// (subscription, site)'s pending events to find its oldest.
    static func claimStatements(now: Date, leaseUntil: Date, limit: Int) -> [PostgresQuery] {
        let claim: PostgresQuery = """
            WITH due AS (
                SELECT e.id FROM webhook_events e JOIN webhooks w ON w.id = e.webhook_id AND w.enabled
                WHERE e.state = 'pending' AND e.next_attempt_at <= \(now)
                  AND (e.leased_until IS NULL OR e.leased_until <= \(now))
                  AND (e.site_id IS NULL OR e.id = (
                      SELECT o.id FROM webhook_events o
                      WHERE o.webhook_id = e.webhook_id AND o.site_id = e.site_id AND o.state = 'pending'
                      ORDER BY o.id LIMIT 1))
                ORDER BY e.next_attempt_at, e.id
                LIMIT \(limit)
                FOR UPDATE OF e SKIP LOCKED
            )
            UPDATE webhook_events e SET attempts = e.attempts + 1, leased_until = \(leaseUntil)
            FROM due, webhooks w WHERE e.id = due.id AND w.id = e.webhook_id
            \(unsafeRaw: Self.returning)
            """
        return [commitWithoutFlush, "SET LOCAL enable_sort TO off", claim]
    }

    /// A `ping` for `webhook`, written already claimed by the caller (its lease keeps the
    /// workers off it), so the test route makes its first attempt itself. Nil when the
    /// subscription does not exist (the lock finds no row: migration 0025).
    func insertClaimedPing(webhook: UUID, messageID: String, now: Date, leaseUntil: Date) async throws -> ClaimedEvent? {
        let rows = try await database.query(
            """
            WITH locked AS (
                SELECT id FROM webhooks WHERE id = \(webhook) FOR KEY SHARE
            ), inserted AS (
                INSERT INTO webhook_events (webhook_id, message_id, type, occurred_at, attempts, leased_until)
                SELECT id, \(messageID), 'ping', \(now), 1, \(leaseUntil) FROM locked RETURNING *
            )
            SELECT e.id, e.message_id, e.type, e.site_id, e.change_id, e.occurred_at, e.created_at,
                e.payload, e.attempts, w.id AS webhook_id, w.url, w.format, w.secret,
                w.previous_secret, w.previous_secret_expires_at
            FROM inserted e JOIN webhooks w ON w.id = e.webhook_id
            """)
        return try rows.first.map(Self.claimed)
    }

    /// The delivery's own transactions commit without waiting for the WAL flush: what a crash
    /// loses of them (a claim, an attempt's record) only makes an event due again.
    static let commitWithoutFlush: PostgresQuery = "SET LOCAL synchronous_commit TO off"

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

/// The outbox's own failure: a row the worker held was deleted under it (its subscription was).
enum OutboxError: Error, Sendable {
    case eventVanished
}
