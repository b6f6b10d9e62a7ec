import Foundation
import Postgres

/// Settling a round: its attempts recorded and its events moved on.
extension OutboxStore {
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
