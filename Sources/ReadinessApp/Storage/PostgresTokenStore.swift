import Foundation
import Postgres

/// Tokens in `api_tokens` (migration 0001).
struct PostgresTokenStore: TokenStore {
    let database: PostgresPool

    func principal(forHash hash: [UInt8], now: Date) async throws -> Principal? {
        let rows = try await database.query(
            """
            SELECT id, scope, site_id, agent_id, token_hash FROM api_tokens
            WHERE token_hash = \(Data(hash)) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(now))
            """, idempotent: true)
        guard let row = rows.first else { return nil }
        // The index found the row by hash; comparing again in constant time keeps the
        // final decision independent of where two hashes differ.
        guard APIToken.constantTimeEqual(Array(try row.decode(Data.self, column: "token_hash")), hash),
            let scope = Scope(rawValue: try row.decode(String.self, column: "scope"))
        else { return nil }
        return Principal(
            tokenID: try row.decode(UUID.self, column: "id"), scope: scope,
            siteID: try row.decode(UUID?.self, column: "site_id"),
            agentID: try row.decode(UUID?.self, column: "agent_id"))
    }

    func touch(tokenID: UUID, at time: Date) async throws {
        try await database.execute("UPDATE api_tokens SET last_used_at = \(time) WHERE id = \(tokenID)")
    }

    /// Stores a new admin or read token and returns it; the only moment the token exists in clear.
    func createToken(name: String, scope: Scope, expiresAt: Date?) async throws -> (id: UUID, token: String) {
        let token = try APIToken.generate()
        let id = UUID()
        try await database.execute(
            """
            INSERT INTO api_tokens (id, name, scope, token_hash, expires_at)
            VALUES (\(id), \(name), \(scope.rawValue), \(Data(APIToken.hash(token))), \(expiresAt))
            """)
        return (id, token)
    }
}
