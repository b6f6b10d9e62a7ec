import Foundation
import Postgres
@testable import ReadinessApp
import ReadinessServiceTestSupport
import ReadinessTestSupport

/// A fresh database with every migration, and the rows the outbox tests start from, written
/// straight to the tables.
struct OutboxDatabase {
    let database: PostgresPool

    static func with(_ body: (OutboxDatabase) async throws -> Void) async throws {
        try await TestDatabase.with { pool, _ in
            _ = try await Migrator(directory: LiveService.migrationsDirectory, logger: TestDatabase.logger).migrate(pool)
            try await body(OutboxDatabase(database: pool))
        }
    }

    /// A subscription wanting `eventTypes`, with one filter column set (or none).
    @discardableResult
    func webhook(
        eventTypes: [String] = WebhookEventType.allCases.map(\.rawValue), filter: (column: String, values: [String])? = nil,
        enabled: Bool = true
    ) async throws -> UUID {
        let id = UUID()
        try await database.execute(
            """
            INSERT INTO webhooks (id, name, url, format, event_types, secret, enabled)
            VALUES (\(id), 'hook', 'http://127.0.0.1:9/', 'standard', \(eventTypes), 'whsec_test', \(enabled))
            """)
        if let filter {
            let cast = filter.column == "site_ids" ? "uuid[]" : "text[]"
            try await database.execute(
                "UPDATE webhooks SET \(unsafeRaw: filter.column) = \(filter.values)::\(unsafeRaw: cast) WHERE id = \(id)")
        }
        return id
    }

    /// A site with a current assessment in the compact form: verdict `verdict`, and the
    /// findings of rules `udp` (fails both tiers: blocks minimal), `rtt` (warns at optimal)
    /// and `tls` (gates only optimal, passing).
    @discardableResult
    func site(region: String? = "emea", tags: [String] = ["hq", "floor-3"], verdict: String = "not_ready",
              newestResult: Date? = Date()) async throws -> UUID {
        let id = UUID()
        try await database.execute(
            "INSERT INTO sites (id, name, region, tags) VALUES (\(id), 'HQ', \(region), \(tags))")
        let assessment = """
            {"compact":1,"findings":[{"minimal":"fail","optimal":"fail","rule_id":"udp"},\
            {"optimal":"warn","rule_id":"rtt"},{"optimal":"pass","rule_id":"tls"}],"verdict":"\(verdict)"}
            """
        try await database.execute(
            """
            INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, newest_result_at, assessment, etag, updated_at)
            VALUES (\(id), 'sococo', 1, \(verdict), \(newestResult), \(assessment), 'e', now())
            """)
        return id
    }

    /// One `site_changes` row, as the writers insert them.
    struct Change: Sendable, CustomStringConvertible {
        var kind: String
        var code: String
        var rule: String?
        var from: String?
        var to: String?

        static func verdict(_ from: String?, _ to: String) -> Change {
            Change(kind: "verdict_changed", code: "VERDICT_DEGRADED", rule: nil, from: from, to: to)
        }

        static func finding(_ kind: String, _ code: String, rule: String, _ from: String?, _ to: String?) -> Change {
            Change(kind: kind, code: code, rule: rule, from: from, to: to)
        }

        var description: String { "\(kind) \(code) \(from ?? "-")→\(to ?? "-")" }
    }

    func insert(_ change: Change, site: UUID, on connection: PostgresConnection? = nil) async throws {
        let isVerdict = change.kind == "verdict_changed"
        let statement: PostgresQuery = """
            INSERT INTO site_changes (site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status)
            VALUES (\(site), now(), \(UUID()), \(change.kind), \(change.code), \(change.rule),
                    \(isVerdict ? change.from : nil), \(isVerdict ? change.to : nil),
                    \(isVerdict ? nil : change.from), \(isVerdict ? nil : change.to))
            """
        try await database.execute(statement)
    }

    /// The outbox's rows: (subscription, type), in id order.
    func events() async throws -> [(webhook: UUID, type: String)] {
        try await database.query("SELECT webhook_id, type FROM webhook_events ORDER BY id").map {
            (try $0.decode(UUID.self, column: "webhook_id"), try $0.decode(String.self, column: "type"))
        }
    }
}
