import Foundation
import Postgres
import Testing
@testable import ReadinessApp

/// The outbox trigger starts its event INSERT only for a statement with a change that makes an
/// event an enabled subscription wants (migration 0029): the group commit inserts its changes,
/// none on most commits, with one statement every time, and the INSERT cost the trigger about
/// four times its early return even with no row to write.
///
/// Seen through privileges rather than time: the changes are written by a role that may insert
/// changes but not events. An executor checks its privileges as it starts, rows or none, so the
/// role's statement succeeds exactly when the trigger returned before its INSERT.
@Suite struct OutboxTriggerShortcutTests {
    @Test func anEmptyStatementOrUnwantedChangesNeverStartTheEventInsert() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            try await db.webhook(eventTypes: ["site.verdict_changed"])
            try await Self.withChangeWriter(db) { role in
                // What the group commit writes on a commit without a change.
                try await Self.write(db, as: role, .verdict("optimal", "not_ready"), site: site, rows: 0)
                // A finding event, which this subscription does not want.
                try await Self.write(db, as: role, .finding("finding_appeared", "UDP_BLOCKED", rule: "udp", nil, "fail"), site: site)
                // A finding that stays a problem: no event at all.
                try await Self.write(db, as: role, .finding("finding_changed", "UDP_BLOCKED", rule: "udp", "warn", "unknown"), site: site)
                // A verdict change is wanted: the INSERT starts, and the role may not write events.
                let refused = await #expect(throws: PostgresError.self) {
                    try await Self.write(db, as: role, .verdict("optimal", "not_ready"), site: site)
                }
                #expect(refused?.sqlState == .insufficientPrivilege)
                try await db.database.execute("UPDATE webhooks SET enabled = false")
                // Disabled, it wants nothing.
                try await Self.write(db, as: role, .verdict("optimal", "not_ready"), site: site)
            }
            #expect(try await db.events().isEmpty)
        }
    }

    @Test func aStatementWithOneWantedChangeAmongOthersWritesItsEvent() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            let webhook = try await db.webhook(eventTypes: ["site.verdict_changed"])
            try await db.database.execute(
                """
                INSERT INTO site_changes (site_id, at, kind, code, from_status, to_status, from_verdict, to_verdict)
                VALUES (\(site), now(), 'finding_appeared', 'UDP_BLOCKED', NULL, 'fail', NULL, NULL),
                       (\(site), now(), 'verdict_changed', 'VERDICT_DEGRADED', NULL, NULL, 'optimal', 'not_ready')
                """)
            let events = try await db.events()
            #expect(events.count == 1)
            #expect(events.first?.webhook == webhook)
            #expect(events.first?.type == "site.verdict_changed")
        }
    }

    /// `rows` copies of `change` (0: an INSERT of no row, as a commit without changes makes),
    /// inserted as `role` in one statement.
    static func write(
        _ db: OutboxDatabase, as role: String, _ change: OutboxDatabase.Change, site: UUID, rows: Int = 1
    ) async throws {
        let isVerdict = change.kind == "verdict_changed"
        try await db.database.withTransaction { tx in
            try tx.execute("SET LOCAL ROLE \(unsafeRaw: role)")
            try tx.execute(
                """
                INSERT INTO site_changes (site_id, at, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status)
                SELECT \(site), now(), \(change.kind), \(change.code), \(change.rule),
                    \(isVerdict ? change.from : nil), \(isVerdict ? change.to : nil),
                    \(isVerdict ? nil : change.from), \(isVerdict ? nil : change.to)
                FROM generate_series(1, \(rows))
                """)
        }
    }

    /// A role, made for this test, that may insert changes and read subscriptions (what the
    /// trigger's early checks read), but not write events.
    static func withChangeWriter(_ db: OutboxDatabase, _ body: (String) async throws -> Void) async throws {
        let role = "outbox_change_writer_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.database.execute("CREATE ROLE \(unsafeRaw: role) NOLOGIN")
        do {
            try await db.database.execute("GRANT INSERT ON site_changes TO \(unsafeRaw: role)")
            try await db.database.execute("GRANT USAGE ON SEQUENCE site_changes_id_seq TO \(unsafeRaw: role)")
            try await db.database.execute("GRANT SELECT ON webhooks TO \(unsafeRaw: role)")
            try await body(role)
        } catch {
            _ = try? await db.database.execute("DROP OWNED BY \(unsafeRaw: role)")
            _ = try? await db.database.execute("DROP ROLE \(unsafeRaw: role)")
            throw error
        }
        try await db.database.execute("DROP OWNED BY \(unsafeRaw: role)")
        try await db.database.execute("DROP ROLE \(unsafeRaw: role)")
    }
}
