import Foundation
import Postgres
import ReadinessScoring

/// A row of `sites` (migration 0001), as every concept reads it.
struct SiteRecord: Sendable, Equatable {
    var id: UUID
    var name: String
    var region: String?
    var timezone: String
    var tags: [String]
    var expectedUsers: Int
    var longestCallS: Int
    var policyName: String
    /// nil follows the newest version of `policyName`.
    var policyVersion: Int?
    var archivedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    /// The columns `init(row:)` reads, for `SELECT \(unsafeRaw: SiteRecord.columns) FROM sites`.
    static let columns = """
        id, name, region, timezone, tags, expected_users, longest_call_s, policy_name, policy_version,
        archived_at, created_at, updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: "id")
        name = try row.decode(String.self, column: "name")
        region = try row.decode(String?.self, column: "region")
        timezone = try row.decode(String.self, column: "timezone")
        tags = try row.decode([String].self, column: "tags")
        expectedUsers = try row.decode(Int.self, column: "expected_users")
        longestCallS = try row.decode(Int.self, column: "longest_call_s")
        policyName = try row.decode(String.self, column: "policy_name")
        policyVersion = try row.decode(Int?.self, column: "policy_version")
        archivedAt = try row.decode(Date?.self, column: "archived_at")
        createdAt = try row.decode(Date.self, column: "created_at")
        updatedAt = try row.decode(Date.self, column: "updated_at")
    }

    /// What the scoring rules need to know about the site.
    var parameters: SiteParameters {
        SiteParameters(expectedConcurrentUsers: expectedUsers, longestCallS: Double(longestCallS))
    }
}
