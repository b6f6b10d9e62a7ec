import Foundation
import JSON
import Postgres

/// A row of `agents` (migration 0001), shown by the API as `Agent`.
struct AgentRecord: Sendable, Equatable {
    var id: UUID
    var siteID: UUID
    var name: String
    var createdAt: Date
    var revokedAt: Date?
    var lastSeenAt: Date?

    static let columns = "id, site_id, name, created_at, revoked_at, last_seen_at"
}

/// Nullable members are written as null, never left out.
extension AgentRecord: JSONObject, JSONWritable {
    static let members: JSONMembers<AgentRecord> = [
        JSONMember("id", \.id),
        JSONMember("site_id", \.siteID),
        JSONMember("name", \.name),
        JSONMember("created_at", \.createdAt),
        JSONMember("revoked_at", \.revokedAt),
        JSONMember("last_seen_at", \.lastSeenAt),
    ]
}

// In an extension, so the memberwise initializer stays (tests build values with it).
extension AgentRecord {
    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: "id")
        siteID = try row.decode(UUID.self, column: "site_id")
        name = try row.decode(String.self, column: "name")
        createdAt = try row.decode(Date.self, column: "created_at")
        revokedAt = try row.decode(Date?.self, column: "revoked_at")
        lastSeenAt = try row.decode(Date?.self, column: "last_seen_at")
    }
}

/// `AgentCreated`: the agent and its token, the one time the token is shown.
struct AgentCreated: Sendable {
    let agent: AgentRecord
    let token: String
}

extension AgentCreated: JSONObject, JSONWritable {
    static let members: JSONMembers<AgentCreated> = [
        JSONMember("agent", \.agent),
        JSONMember("token", \.token),
    ]
}
