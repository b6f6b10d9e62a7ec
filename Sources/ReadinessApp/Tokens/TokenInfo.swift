import Foundation
import Postgres

/// A row of `api_tokens` without its hash (`TokenInfo` in the API). The hash never leaves the
/// database layer: it is not even read here.
struct TokenInfo: Sendable, Encodable {
    var id: UUID
    var name: String
    var scope: String
    var siteID: UUID?
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?
    var revokedAt: Date?

    static let columns = "id, name, scope, site_id, created_at, expires_at, last_used_at, revoked_at"

    enum CodingKeys: String, CodingKey {
        case id, name, scope
        case siteID = "site_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    /// Nullable members are written as null, never left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.apiString, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(scope, forKey: .scope)
        try container.encode(siteID?.apiString, forKey: .siteID)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}

// In an extension, so the memberwise initializer stays (tests build values with it).
extension TokenInfo {
    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: "id")
        name = try row.decode(String.self, column: "name")
        scope = try row.decode(String.self, column: "scope")
        siteID = try row.decode(UUID?.self, column: "site_id")
        createdAt = try row.decode(Date.self, column: "created_at")
        expiresAt = try row.decode(Date?.self, column: "expires_at")
        lastUsedAt = try row.decode(Date?.self, column: "last_used_at")
        revokedAt = try row.decode(Date?.self, column: "revoked_at")
    }
}

/// `TokenCreated`: the token's description and the token itself, shown this once.
struct TokenCreated: Encodable, Sendable {
    let tokenInfo: TokenInfo
    let token: String

    enum CodingKeys: String, CodingKey {
        case token
        case tokenInfo = "token_info"
    }
}
