import Foundation
import Postgres

/// Admin and read tokens as the API manages them. Only SHA-256 hashes are stored
/// (``APIToken``); the token in clear exists in the response to its creation and nowhere else.
struct TokenDirectory: Sendable {
    let database: PostgresPool

    func create(name: String, scope: Scope, expiresAt: Date?, now: Date) async throws -> TokenCreated {
        let token = try APIToken.generate()
        let rows = try await database.query(
            """
            INSERT INTO api_tokens (id, name, scope, token_hash, created_at, expires_at)
            VALUES (\(UUID()), \(name), \(scope.rawValue), \(Data(APIToken.hash(token))), \(now), \(expiresAt))
            RETURNING \(unsafeRaw: TokenInfo.columns)
            """)
        guard let row = rows.first else { throw MissingRowError(statement: "INSERT INTO api_tokens") }
        return TokenCreated(tokenInfo: try TokenInfo(row: row), token: token)
    }

    /// One page in id order, revoked and expired tokens included; `limit + 1` rows.
    func list(after: UUID?, limit: Int) async throws -> [TokenInfo] {
        let rows = try await database.query(
            """
            SELECT \(unsafeRaw: TokenInfo.columns) FROM api_tokens
            WHERE (\(after) IS NULL OR id > \(after)) ORDER BY id LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(TokenInfo.init(row:))
    }

    /// False when no such token exists. A revoked token keeps its first revocation time.
    func revoke(_ id: UUID, now: Date) async throws -> Bool {
        let rows = try await database.query(
            """
            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, \(now)) WHERE id = \(id) RETURNING id
            """)
        return !rows.isEmpty
    }
}
