import Foundation
import Postgres

/// A row of `agents` (migration 0001), shown by the API as `Agent`.
struct AgentRecord: Sendable, Equatable, Encodable {
    var id: UUID
    var siteID: UUID
    var name: String
    var createdAt: Date
    var revokedAt: Date?
    var lastSeenAt: Date?

    static let columns = "id, site_id, name, created_at, revoked_at, last_seen_at"

    enum CodingKeys: String, CodingKey {
        case id, name
        case siteID = "site_id"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case lastSeenAt = "last_seen_at"
    }

    /// Nullable members are written as null, never left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.apiString, forKey: .id)
        try container.encode(siteID.apiString, forKey: .siteID)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encode(lastSeenAt, forKey: .lastSeenAt)
    }
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
struct AgentCreated: Encodable, Sendable {
    let agent: AgentRecord
    let token: String
}
