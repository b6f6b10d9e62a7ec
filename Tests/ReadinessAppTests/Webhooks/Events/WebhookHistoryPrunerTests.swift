import Foundation
import Logging
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The delivery history's keeping period, against the real database: what goes, what stays.
@Suite struct WebhookHistoryPrunerTests {
    static let boundary = Date(timeIntervalSince1970: 1_796_000_000)

    /// An event written straight to the outbox in `state`, its last attempt due at `due`, with
    /// `attempts` attempt rows; returns its id.
    @discardableResult
    static func event(_ db: OutboxDatabase, webhook: UUID, site: UUID, state: String, due: Date, attempts: Int = 1) async throws -> Int {
        let id = try await db.database.query(
            """
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, state, attempts, next_attempt_at, created_at)
            VALUES (\(webhook), \("msg_" + UUID().uuidString), 'site.verdict_changed', \(site), \(due), \(state), \(attempts), \(due), \(due))
            RETURNING id
            """)[0].decode(Int.self, column: "id")
        for _ in 0..<attempts {
            try await db.database.execute(
                """
                INSERT INTO webhook_attempts (event_id, webhook_id, attempted_at, status_code, duration_ms, outcome)
                VALUES (\(id), \(webhook), \(due), 204, 3, 'delivered')
                """)
        }
        return id
    }

    static func remaining(_ db: OutboxDatabase) async throws -> (events: Set<Int>, attemptsOf: Set<Int>) {
        let events = try await db.database.query("SELECT id FROM webhook_events").map { try $0.decode(Int.self, column: "id") }
        let attempts = try await db.database.query("SELECT event_id FROM webhook_attempts").map { try $0.decode(Int.self, column: "event_id") }
        return (Set(events), Set(attempts))
    }

    @Test func finishedEventsPastThePeriodGoWithTheirAttemptsAndPendingOrRecentOnesStay() async throws {
        try await OutboxDatabase.with { db in
            let webhook = try await db.webhook(), site = try await db.site()
            let old = Self.boundary - 86_400
            let delivered = try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: old, attempts: 2)
            let failed = try await Self.event(db, webhook: webhook, site: site, state: "failed", due: old)
            let skipped = try await Self.event(db, webhook: webhook, site: site, state: "skipped", due: old, attempts: 0)
            let pending = try await Self.event(db, webhook: webhook, site: site, state: "pending", due: old)
            let recent = try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary + 1)

            let report = try await WebhookHistoryPruner(database: db.database).prune(lastDueBefore: Self.boundary)

            #expect(report == .init(events: 3, attempts: 3))
            let left = try await Self.remaining(db)
            #expect(left.events == [pending, recent])
            #expect(left.attemptsOf == [pending, recent])
            #expect(Set([delivered, failed, skipped]).isDisjoint(with: left.events))
        }
    }

    @Test func aLongHistoryGoesInBatchesAndARedeliveredOldEventStays() async throws {
        try await OutboxDatabase.with { db in
            let webhook = try await db.webhook(), site = try await db.site()
            for _ in 0..<5 {
                try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary - 3_600)
            }
            let redelivered = try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary - 3_600)
            // A redelivery makes the old event due now: its new attempt is kept for the period.
            let attempt = try await db.database.query("SELECT id FROM webhook_attempts WHERE event_id = \(redelivered)")[0]
                .decode(Int.self, column: "id")
            #expect(try await WebhookDeliveryLog(database: db.database).redeliver(
                webhook: webhook, delivery: attempt, now: Self.boundary + 60) != nil)
            // Delivered again: settling keeps the due time the redelivery set.
            try await db.database.execute("UPDATE webhook_events SET state = 'delivered' WHERE id = \(redelivered)")

            var pruner = WebhookHistoryPruner(database: db.database)
            pruner.batchSize = 2
            #expect(try await pruner.prune(lastDueBefore: Self.boundary) == .init(events: 5, attempts: 5))
            #expect(try await Self.remaining(db).events == [redelivered])
        }
    }

    @Test func aStopBetweenBatchesEndsThePruneThereAndLetsGoOfTheLock() async throws {
        try await OutboxDatabase.with { db in
            let webhook = try await db.webhook(), site = try await db.site()
            for _ in 0..<5 {
                try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary - 60)
            }
            var pruner = WebhookHistoryPruner(database: db.database)
            pruner.batchSize = 2
            let asked = Counter()
            // Yes before the first batch, no before the second: a shutdown under way.
            let stopped = try await pruner.prune(lastDueBefore: Self.boundary) { asked.next() == 1 }
            #expect(stopped == .init(events: 2, attempts: 2))
            #expect(try await Self.remaining(db).events.count == 3)
            #expect(try await pruner.prune(lastDueBefore: Self.boundary) == .init(events: 3, attempts: 3), "the lock was let go")
        }
    }

    @Test func aPruneUnderWayElsewhereIsSkipped() async throws {
        try await OutboxDatabase.with { db in
            let webhook = try await db.webhook(), site = try await db.site()
            try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary - 60)
            let held = HeldTransaction(db.database, ["SELECT pg_advisory_xact_lock(\(WebhookHistoryPruner.advisoryLockKey))"])
            await held.untilHeld()
            let pruner = WebhookHistoryPruner(database: db.database)
            #expect(try await pruner.prune(lastDueBefore: Self.boundary) == .init(skipped: true))
            #expect(try await Self.remaining(db).events.count == 1)
            held.release()
            try await held.done.value
            #expect(try await pruner.prune(lastDueBefore: Self.boundary) == .init(events: 1, attempts: 1))
        }
    }

    @Test func theServicesSchedulePrunesSoonAfterStartWithItsClock() async throws {
        try await OutboxDatabase.with { db in
            let webhook = try await db.webhook(), site = try await db.site()
            try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary - 31 * 86_400)
            let kept = try await Self.event(db, webhook: webhook, site: site, state: "delivered", due: Self.boundary - 29 * 86_400)
            let schedule = WebhookHistorySchedule(
                pruner: WebhookHistoryPruner(database: db.database), kept: .seconds(30 * 86_400), logger: Logger(label: "test"),
                firstRun: .milliseconds(10), clock: { Self.boundary })
            schedule.start()
            var left = try await Self.remaining(db).events
            for _ in 0..<100 where left.count > 1 {
                try await Task.sleep(for: .milliseconds(50))
                left = try await Self.remaining(db).events
            }
            await schedule.stop()  // returns: the next run was an hour away
            #expect(left == [kept], "30 days before the clock's now passed the 31-day-old event only")
        }
    }
}

/// Counts the calls made to it, from any thread.
private final class Counter: @unchecked Sendable {  // `count` behind `lock`
    private let lock = NSLock()
    private var count = 0
    /// This call's number, from 1.
    func next() -> Int { lock.withLock { count += 1; return count } }
}
