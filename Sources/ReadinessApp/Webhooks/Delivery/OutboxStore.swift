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

    /// How a claimed event is settled after its attempt.
    enum Settlement: Sendable {
        /// An attempt was made (or refused): its record, and the event's state after it.
        case attempted(AttemptRecord)
        /// The format has nothing to send: settled as `skipped`, without an attempt.
        case skipped
    }

    /// The round's attempts and each event's state after them, in one transaction; returns
    /// each attempt's id by event id. An event is only moved on while this worker's claim is
    /// still the current one (`attempts` unchanged). `builtBodies`: the bodies this round built
    /// for events sent for the first time, frozen here unless one already is (migration 0027),
    /// so every later attempt, on any replica, signs and sends those bytes. A 410 also disables
    /// the subscription, with the reason.
    ///
    /// Committed without waiting for the WAL flush (`synchronous_commit = off`): a crash may
    /// lose the last fraction of a second of records, and then those events' claims expire and
    /// they are sent again, which at-least-once delivery allows (and `webhook-id` lets receivers
    /// drop). Waiting for the flush of each record cost ingest, on the same disk and cores, more
    /// than the 5 % issue 16 allows while events flow (`make bench-webhooks`).
    func settle(_ settlements: [(event: ClaimedEvent, settlement: Settlement)], builtBodies: [Int: [UInt8]] = [:]) async throws -> [Int: Int] {
        guard !settlements.isEmpty else { return [:] }
        let statements = Self.settleStatements(settlements, builtBodies: builtBodies)
        // BEGIN, every statement and COMMIT in one round trip (four took as many, each a pair of
        // context switches on the cores ingest runs on).
        let inserted = try await database.withTransaction { tx in try tx.commit(after: statements)[1] }
        var ids: [Int: Int] = [:]
        for row in inserted { ids[try row.decode(Int.self, column: "event_id")] = try row.decode(Int.self, column: "id") }
        return ids
    }

    /// The settle's statements: the setting, the attempts' insert (whose rows `settle` reads),
    /// the events' update, and a 410's disabling of its subscription.
    static func settleStatements(
        _ settlements: [(event: ClaimedEvent, settlement: Settlement)], builtBodies: [Int: [UInt8]]
    ) -> [PostgresQuery] {
        var events = PostgresArray<Int>(), webhooks = PostgresArray<UUID>(), attemptedAt = PostgresArray<Date>()
        var statuses = PostgresArray<Int>(), errors = PostgresArray<String>(), durations = PostgresArray<Int>()
        var outcomes = PostgresArray<String>(), nextAttempts = PostgresArray<Date>()
        var claims = PostgresArray<Int>(), states = PostgresArray<String>(), disabled: [(UUID, Date)] = []
        var bodies = PostgresArray<PostgresText>(
            reservingElements: settlements.count, variableBytes: settlements.reduce(0) { $0 + (builtBodies[$1.event.id]?.count ?? 0) })
        for (event, settlement) in settlements {
            events.append(event.id)
            claims.append(event.attempts)
            bodies.append(builtBodies[event.id].map(PostgresText.init(bytes:)))
            switch settlement {
            case .skipped:
                states.append("skipped")
                webhooks.append(nil); attemptedAt.append(nil); statuses.append(nil); errors.append(nil)
                durations.append(nil); outcomes.append(nil); nextAttempts.append(nil)
            case .attempted(let attempt):
                states.append(attempt.outcome.eventState)
                webhooks.append(event.target.webhookID); attemptedAt.append(attempt.attemptedAt)
                statuses.append(attempt.statusCode); errors.append(attempt.error); durations.append(attempt.durationMS)
                outcomes.append(attempt.outcome.rawValue); nextAttempts.append(attempt.nextAttemptAt)
                if attempt.outcome == .disabled { disabled.append((event.target.webhookID, attempt.attemptedAt)) }
            }
        }
        let insertAttempts: PostgresQuery = """
            INSERT INTO webhook_attempts (event_id, webhook_id, attempted_at, status_code, error, duration_ms, outcome, next_attempt_at)
            SELECT * FROM unnest(\(events)::bigint[], \(webhooks)::uuid[], \(attemptedAt)::timestamptz[], \(statuses)::int[],
                \(errors)::text[], \(durations)::int[], \(outcomes)::text[], \(nextAttempts)::timestamptz[])
                AS a(event_id, webhook_id, attempted_at, status_code, error, duration_ms, outcome, next_attempt_at)
            WHERE a.outcome IS NOT NULL
            RETURNING id, event_id
            """
        // `e.state = v.claimed_state` ('pending' for each) rather than `= 'pending'`: a constant
        // lets the planner use the pending-only indexes, and when the statistics saw no
        // backlog it took one for a single row and hashed every pending event to find the
        // round's. A join clause leaves it the primary key (`claimStatements` says more).
        let moveEvents: PostgresQuery = """
            UPDATE webhook_events e SET state = v.state, next_attempt_at = COALESCE(v.next_attempt_at, e.next_attempt_at),
                leased_until = NULL, payload = COALESCE(e.payload, v.payload)
            FROM unnest(\(events)::bigint[], \(claims)::int[], \(states)::text[], \(nextAttempts)::timestamptz[], \(bodies)::text[],
                        array_fill('pending'::text, ARRAY[\(settlements.count)::int]))
                AS v(id, attempts, state, next_attempt_at, payload, claimed_state)
            WHERE e.id = v.id AND e.attempts = v.attempts AND e.state = v.claimed_state
            """
        let disable: [PostgresQuery] = disabled.map { webhook, at in
            """
            UPDATE webhooks SET enabled = false, updated_at = now(),
                disabled_reason = 'the receiver answered 410 Gone on ' || to_char(\(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            WHERE id = \(webhook)
            """
        }
        return [commitWithoutFlush, insertAttempts, moveEvents] + disable
    }

    /// The delivery's own transactions commit without waiting for the WAL flush: what a crash
    /// loses of them (a claim, an attempt's record) only makes an event due again.
    private static let commitWithoutFlush: PostgresQuery = "SET LOCAL synchronous_commit TO off"

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
