import Foundation
import Postgres

/// Deletes the delivery history past its keeping period (`READINESS_WEBHOOK_HISTORY_DAYS`):
/// finished events (delivered, failed, skipped) whose last attempt fell due before a boundary,
/// with their attempts, a batch per statement. Without it both tables only grow, by a row or two
/// for every event ever sent.
///
/// An event's `next_attempt_at` is when its last attempt fell due (settling keeps it, a
/// redelivery sets it to now), so a redelivered old event keeps its new attempt for the whole
/// period. A pending event is never deleted, nor is one a redelivery makes pending meanwhile
/// (the delete re-checks `state` on rows changed under it). Its attempts go in the same
/// statement, since no key cascades from an event to them (migration 0026).
///
/// One prune runs at a time across replicas (an advisory lock); another finds it taken and
/// skips.
struct WebhookHistoryPruner: Sendable {
    let database: PostgresPool
    /// Events deleted per statement: short enough not to hold locks or a snapshot for long.
    var batchSize = 5_000

    /// Fixed key shared by every replica, apart from the retention prune's, the staleness
    /// sweep's and the migrations'.
    static let advisoryLockKey: Int64 = 7_346_201_905_317

    struct Report: Sendable, Equatable {
        var events = 0
        var attempts = 0
        /// Another replica was pruning; nothing was done.
        var skipped = false
    }

    /// `shouldContinue` is asked between batches: false stops the prune there (a shutdown).
    func prune(lastDueBefore boundary: Date, shouldContinue: @escaping @Sendable () -> Bool = { true }) async throws -> Report {
        try await database.withConnection { connection in
            var report = Report()
            guard try connection.query("SELECT pg_try_advisory_lock(\(Self.advisoryLockKey)) AS taken")[0]
                .decode(Bool.self, column: "taken") else {
                report.skipped = true
                return report
            }
            defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
            while shouldContinue() {
                let row = try connection.query(
                    """
                    WITH gone AS (
                        DELETE FROM webhook_events WHERE id = ANY(ARRAY(
                            SELECT id FROM webhook_events
                            WHERE state <> 'pending' AND next_attempt_at < \(boundary) LIMIT \(batchSize)))
                        AND state <> 'pending'
                        RETURNING id
                    ), attempts AS (
                        DELETE FROM webhook_attempts a USING gone WHERE a.event_id = gone.id RETURNING 1
                    )
                    SELECT (SELECT count(*) FROM gone) AS events, (SELECT count(*) FROM attempts) AS attempts
                    """)[0]
                let events = try row.decode(Int.self, column: "events")
                report.events += events
                report.attempts += try row.decode(Int.self, column: "attempts")
                if events < batchSize { break }
            }
            return report
        }
    }
}
