import Foundation
import JSON
import Postgres

/// A row of `api_tokens` without its hash (`TokenInfo` in the API). The hash never leaves the
/// database layer: it is not even read here.
struct TokenInfo: Sendable {
    var id: UUID
    var name: String
    var scope: String
    var siteID: UUID?
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?
    var revokedAt: Date?

    static let columns = "id, name, scope, site_id, created_at, expires_at, last_used_at, revoked_at"
}

/// Nullable members are written as null, never left out.
extension TokenInfo: JSONObject, JSONWritable {
    static let members: JSONMembers<TokenInfo> = [
        JSONMember("id", \.id),
        JSONMember("name", \.name),
        JSONMember("scope", \.scope),
        JSONMember("site_id", \.siteID),
        JSONMember("created_at", \.createdAt),
        JSONMember("expires_at", \.expiresAt),
        JSONMember("last_used_at", \.lastUsedAt),
        JSONMember("revoked_at", \.revokedAt),
    ]
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
struct TokenCreated: Sendable {
    let tokenInfo: TokenInfo
    let token: String
}

extension TokenCreated: JSONObject, JSONWritable {
    static let members: JSONMembers<TokenCreated> = [
        JSONMember("token", \.token),
        JSONMember("token_info", \.tokenInfo),
    ]
}
