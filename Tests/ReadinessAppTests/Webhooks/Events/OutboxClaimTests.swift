import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessTestSupport

/// The delivery's claim against the real database: which events a round takes, and that what
/// it reads follows the round, not the backlog, even when the statistics saw no backlog.
@Suite struct OutboxClaimTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    /// A pending event written straight to the outbox, due at `due`; returns its id.
    @discardableResult
    static func pending(_ db: OutboxDatabase, webhook: UUID, site: UUID?, due: Date = now.addingTimeInterval(-60),
                        leasedUntil: Date? = nil) async throws -> Int {
        try await db.database.query(
            """
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, next_attempt_at, leased_until)
            VALUES (\(webhook), \("msg_" + UUID().uuidString), \(site == nil ? "ping" : "site.verdict_changed"), \(site),
                    \(due), \(due), \(leasedUntil))
            RETURNING id
            """)[0].decode(Int.self, column: "id")
    }

    static func claim(_ db: OutboxDatabase, limit: Int = 32) async throws -> Set<Int> {
        let claimed = try await OutboxStore(database: db.database)
            .claimDue(now: now, leaseUntil: now.addingTimeInterval(300), limit: limit)
        return Set(claimed.map(\.id))
    }

    @Test func aRoundTakesEachSitesOldestDuePendingEventAndEveryPing() async throws {
        try await OutboxDatabase.with { db in
            let hook = try await db.webhook(), off = try await db.webhook(enabled: false)
            let (first, second, third) = (UUID(), UUID(), UUID())
            let firstOldest = try await Self.pending(db, webhook: hook, site: first)
            try await Self.pending(db, webhook: hook, site: first)  // waits for the one before it
            let otherHook = try await db.webhook()
            let sameSiteOtherHook = try await Self.pending(db, webhook: otherHook, site: first)  // its own order
            try await Self.pending(db, webhook: hook, site: second, due: Self.now.addingTimeInterval(60))  // not due
            try await Self.pending(db, webhook: hook, site: second)  // due, but waits for the one not due
            try await Self.pending(db, webhook: hook, site: third, leasedUntil: Self.now.addingTimeInterval(30))  // claimed
            try await Self.pending(db, webhook: hook, site: third)  // waits for the claimed one
            let pings = [try await Self.pending(db, webhook: hook, site: nil), try await Self.pending(db, webhook: hook, site: nil)]
            try await Self.pending(db, webhook: off, site: UUID())  // subscription disabled

            #expect(try await Self.claim(db) == Set([firstOldest, sameSiteOtherHook] + pings))
            #expect(try await Self.claim(db).isEmpty, "a claimed event is leased: the next round finds nothing")
        }
    }

    @Test func aRoundTakesTheEarliestDueFirstAndTiesByAge() async throws {
        try await OutboxDatabase.with { db in
            let hook = try await db.webhook()
            let later = try await Self.pending(db, webhook: hook, site: UUID(), due: Self.now.addingTimeInterval(-10))
            let tiedNewer = try await Self.pending(db, webhook: hook, site: UUID(), due: Self.now.addingTimeInterval(-20))
            let earliest = try await Self.pending(db, webhook: hook, site: UUID(), due: Self.now.addingTimeInterval(-30))
            try await db.database.execute("UPDATE webhook_events SET next_attempt_at = \(Self.now.addingTimeInterval(-20)) WHERE id = \(later)")
            // `later` now ties with `tiedNewer` and is older: it goes before it.
            #expect(try await Self.claim(db, limit: 2) == [earliest, later])
            #expect(try await Self.claim(db, limit: 2) == [tiedNewer])
        }
    }

    /// The case that made claims quadratic: history analyzed while nothing was pending, then a
    /// burst of events all due at the same instant (one transaction's `now()`). Autovacuum is
    /// off for the table: it would analyze again after the burst, and then any plan is fine.
    static func burstAfterStatisticsSawNoBacklog(_ db: OutboxDatabase) async throws {
        let hook = try await db.webhook()
        try await db.database.execute("ALTER TABLE webhook_events SET (autovacuum_enabled = false)")
        try await db.database.execute(
            """
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, state, next_attempt_at)
            SELECT \(hook), 'msg_old_' || g, 'site.verdict_changed', md5((g % 500)::text)::uuid, now(), 'delivered',
                now() - interval '1 day'
            FROM generate_series(1, 5000) g
            """)
        try await db.database.execute("VACUUM ANALYZE webhook_events")
        try await db.database.execute(
            """
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, next_attempt_at)
            SELECT \(hook), 'msg_new_' || g, 'site.verdict_changed', md5((g % 1500)::text)::uuid, \(now), \(now)
            FROM generate_series(1, 3000) g
            """)
    }

    /// Runs `statements` in one transaction, the one at `explained` under
    /// `EXPLAIN (ANALYZE, FORMAT JSON)` (so it is executed too), and returns the rows its plan
    /// touched: unlike its time, that does not depend on the machine.
    static func rowsTouched(_ db: OutboxDatabase, running statements: [PostgresQuery], explaining explained: Int) async throws -> Int {
        var statements = statements
        statements[explained].sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + statements[explained].sql
        let run = statements
        let plan = try await db.database.withTransaction { tx in
            try tx.commit(after: run)[explained][0].decode(String.self, column: "QUERY PLAN")
        }
        return try rowsTouched(plan)
    }

    @Test func aClaimReadsAboutWhatItTakesWhenTheStatisticsSawNoBacklog() async throws {
        try await OutboxDatabase.with { db in
            try await Self.burstAfterStatisticsSawNoBacklog(db)
            let statements = OutboxStore.claimStatements(now: Self.now, leaseUntil: Self.now.addingTimeInterval(300), limit: 32)
            let touched = try await Self.rowsTouched(db, running: statements, explaining: statements.count - 1)
            // About ten a claimed event (its row, its probe, its subscription, its update);
            // reading the burst is thousands, comparing it with itself millions.
            #expect(touched < 32 * 20, "the claim's plan touched \(touched) rows")
            #expect(try await Self.leased(db) == 32)
        }
    }

    @Test func aSettleReadsAboutWhatItMovesWhenTheStatisticsSawNoBacklog() async throws {
        try await OutboxDatabase.with { db in
            try await Self.burstAfterStatisticsSawNoBacklog(db)
            let claimed = try await OutboxStore(database: db.database)
                .claimDue(now: Self.now, leaseUntil: Self.now.addingTimeInterval(300), limit: 32)
            let statements = OutboxStore.settleStatements(claimed.map { ($0, .skipped) }, builtBodies: [:])
            let touched = try await Self.rowsTouched(db, running: statements, explaining: 2)
            // Two a settled event (its new state, its row); hashing the burst is thousands.
            #expect(touched < 32 * 10, "the settle's plan touched \(touched) rows")
            let skipped = try await db.database.query("SELECT count(*)::int AS n FROM webhook_events WHERE state = 'skipped'")
            #expect(try skipped[0].decode(Int.self, column: "n") == 32)
        }
    }

    static func leased(_ db: OutboxDatabase) async throws -> Int {
        try await db.database.query("SELECT count(*)::int AS n FROM webhook_events WHERE leased_until IS NOT NULL")[0]
            .decode(Int.self, column: "n")
    }

    /// Every row each node of an `EXPLAIN (ANALYZE, FORMAT JSON)` plan produced or discarded,
    /// over all its loops.
    static func rowsTouched(_ plan: String) throws -> Int {
        let root = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]]
        func touched(_ node: [String: Any]) -> Double {
            let loops = (node["Actual Loops"] as? NSNumber)?.doubleValue ?? 1
            let perLoop = ["Actual Rows", "Rows Removed by Filter", "Rows Removed by Join Filter", "Rows Removed by Index Recheck"]
                .reduce(0) { $0 + ((node[$1] as? NSNumber)?.doubleValue ?? 0) }
            let children = (node["Plans"] as? [[String: Any]] ?? []).reduce(0) { $0 + touched($1) }
            return perLoop * loops + children
        }
        guard let top = root?.first?["Plan"] as? [String: Any] else { throw TestSetupError(description: "no plan in \(plan)") }
        return Int(touched(top).rounded())
    }
}
