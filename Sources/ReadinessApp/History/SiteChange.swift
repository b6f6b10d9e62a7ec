import Foundation
import JSON
import Postgres

/// One row of `site_changes` as the API shows it (openapi `Change`).
struct SiteChange: Sendable {
    /// `chg_<n>`: opaque to clients, and the pagination key (newest first by `n`).
    var id: String
    var at: Date
    var runID: String?
    var kind: String
    var fromVerdict: String?
    var toVerdict: String?
    var code: String?
    var status: String?
    var fromStatus: String?
    var ruleID: String?
    /// The bigserial behind `id`, for the cursor; not encoded.
    var sequence: Int
}

/// Required members are written as null rather than left out.
extension SiteChange: JSONObject, JSONWritable {
    static let members: JSONMembers<SiteChange> = [
        JSONMember("id", \.id),
        JSONMember("at", \.at),
        JSONMember("run_id", \.runID),
        JSONMember("kind", \.kind),
        JSONMember("from_verdict", \.fromVerdict),
        JSONMember("to_verdict", \.toVerdict),
        JSONMember("code", \.code),
        JSONMember("status", \.status),
        JSONMember("from_status", \.fromStatus),
        JSONMember("rule_id", \.ruleID),
    ]

    var estimatedJSONSize: Int { 320 }
}

// In an extension, so the memberwise initializer stays (tests build values with it).
extension SiteChange {
    init(row: PostgresRow) throws {
        sequence = try row.decode(Int.self, column: "id")
        id = "chg_\(sequence)"
        at = try row.decode(Date.self, column: "at")
        runID = try row.decode(String?.self, column: "run_id")  // uuid_out: lower-case 8-4-4-4-12
        kind = try row.decode(String.self, column: "kind")
        fromVerdict = try row.decode(String?.self, column: "from_verdict")
        toVerdict = try row.decode(String?.self, column: "to_verdict")
        code = try row.decode(String?.self, column: "code")
        status = try row.decode(String?.self, column: "to_status")
        fromStatus = try row.decode(String?.self, column: "from_status")
        ruleID = try row.decode(String?.self, column: "rule_id")
    }

    /// A page newest first; `site_changes_site_idx (site_id, id DESC)` serves it directly.
    static func page(site: UUID, before: Int?, limit: Int, database: PostgresPool) async throws -> [SiteChange] {
        let rows = try await database.query(
            """
            SELECT id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status
            FROM site_changes
            WHERE site_id = \(site) AND id < \(before ?? Int.max)
            ORDER BY id DESC LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(SiteChange.init(row:))
    }
}
