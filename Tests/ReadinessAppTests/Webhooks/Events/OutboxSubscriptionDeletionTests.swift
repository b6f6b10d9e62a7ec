import Foundation
import Postgres
import Testing
@testable import ReadinessApp

/// A deleted subscription takes its events and attempts with it, and no event is left behind
/// for it by a change written at the same moment (migration 0025: the writers lock the
/// subscriptions once per statement instead of a foreign key checked per event).
@Suite struct OutboxSubscriptionDeletionTests {
    @Test func deletingASubscriptionTakesItsEventsAndAttemptsAndLeavesTheOthers() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            let gone = try await db.webhook()
            let kept = try await db.webhook()
            try await db.insert(.verdict("optimal", "not_ready"), site: site)
            try await db.database.execute(
                """
                INSERT INTO webhook_attempts (event_id, webhook_id, attempted_at, status_code, duration_ms, outcome)
                SELECT id, webhook_id, now(), 500, 3, 'retry' FROM webhook_events
                """)
            try await db.database.execute("DELETE FROM webhooks WHERE id = \(gone)")
            #expect(try await db.events().map(\.webhook) == [kept])
            let attempts = try await db.database.query("SELECT webhook_id FROM webhook_attempts")
            #expect(try attempts.map { try $0.decode(UUID.self, column: "webhook_id") } == [kept])
        }
    }

    /// The delete waits for a change's transaction that already wrote events for the
    /// subscription, then takes those events too.
    @Test func aDeleteWaitsForAChangeUnderWayAndTakesItsEvents() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            let webhook = try await db.webhook()
            let change = await Self.heldOpen(
                """
                INSERT INTO site_changes (site_id, at, kind, code, from_verdict, to_verdict)
                VALUES (\(site), now(), 'verdict_changed', 'VERDICT_DEGRADED', 'optimal', 'not_ready')
                """, on: db.database)
            let delete = Task { try await db.database.execute("DELETE FROM webhooks WHERE id = \(webhook)") }
            try await Self.waitUntilAStatementWaitsForALock(db.database)
            change.release.signal()
            try await change.task.value
            _ = try await delete.value
            #expect(try await db.events().isEmpty)
            #expect(try await db.database.query("SELECT 1 FROM site_changes").count == 1)
        }
    }

    /// A change written while a delete of the subscription is under way waits for it, and then
    /// writes no event for the subscription that is gone; the change itself is kept.
    @Test func aChangeWaitingForADeleteWritesNoEventForTheDeletedSubscription() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            let webhook = try await db.webhook()
            let delete = await Self.heldOpen("DELETE FROM webhooks WHERE id = \(webhook)", on: db.database)
            let change = Task { try await db.insert(.verdict("optimal", "not_ready"), site: site) }
            try await Self.waitUntilAStatementWaitsForALock(db.database)
            delete.release.signal()
            try await delete.task.value
            try await change.value
            #expect(try await db.events().isEmpty)
            #expect(try await db.database.query("SELECT 1 FROM site_changes").count == 1)
        }
    }

    /// Runs `statement` in a transaction left open (its locks held) until `release` is
    /// signalled; returns once the statement ran (or failed: `task` then throws).
    private static func heldOpen(
        _ statement: PostgresQuery, on database: PostgresPool
    ) async -> (task: Task<Void, any Error>, release: DispatchSemaphore) {
        let ran = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let task = Task {
            try await database.withTransaction { tx in
                do { try tx.execute(statement) } catch {
                    ran.signal()
                    throw error
                }
                ran.signal()
                release.wait()
            }
        }
        await wait(for: ran)
        return (task, release)
    }

    /// Waits for a semaphore a transaction's thread signals, off the cooperative pool.
    private static func wait(for semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }

    /// Until another backend of this database waits on a row or table lock (the statement under
    /// test is blocked); fails after a generous bound rather than hanging.
    private static func waitUntilAStatementWaitsForALock(_ database: PostgresPool) async throws {
        for _ in 0..<2_000 {
            let waiting = try await database.query(
                """
                SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """)
            if try waiting[0].decode(Int.self, column: "n") > 0 { return }
            await Task.yield()
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("no statement came to wait for the lock")
    }
}
