import Foundation
import Postgres

/// Agents and their tokens. An agent and its token are created, and revoked, together.
struct AgentStore: Sendable {
    let database: PostgresPool

    enum Creation: Sendable {
        case created(AgentRecord, token: String)
        case siteNotFound
        case siteArchived(Date)
    }

    /// Creates the agent and its agent-scope token in one transaction. The site row is locked
    /// (FOR SHARE) so an archive running at the same moment cannot leave a live token on an
    /// archived site.
    func create(site: UUID, name: String, now: Date) async throws -> Creation {
        let token = try APIToken.generate()
        let hash = Data(APIToken.hash(token))
        let agentID = UUID()
        return try await database.withTransaction { tx in
            let found = try tx.query("SELECT archived_at FROM sites WHERE id = \(site) FOR SHARE")
            guard let row = found.first else { return .siteNotFound }
            if let archivedAt = try row.decode(Date?.self, column: "archived_at") { return .siteArchived(archivedAt) }
            let inserted = try tx.query(
                """
                INSERT INTO agents (id, site_id, name, created_at) VALUES (\(agentID), \(site), \(name), \(now))
                RETURNING \(unsafeRaw: AgentRecord.columns)
                """)
            try tx.execute(
                """
                INSERT INTO api_tokens (id, name, scope, site_id, agent_id, token_hash, created_at)
                VALUES (\(UUID()), \(name), 'agent', \(site), \(agentID), \(hash), \(now))
                """)
            guard let agent = inserted.first else { throw MissingRowError(statement: "INSERT INTO agents") }
            return .created(try AgentRecord(row: agent), token: token)
        }
    }

    /// One page of a site's agents in id order, revoked ones included; `limit + 1` rows.
    func list(site: UUID, after: UUID?, limit: Int) async throws -> [AgentRecord] {
        let rows = try await database.query(
            """
            SELECT \(unsafeRaw: AgentRecord.columns) FROM agents
            WHERE site_id = \(site) AND (\(after) IS NULL OR id > \(after))
            ORDER BY id LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(AgentRecord.init(row:))
    }

    /// Revokes the agent and every token bound to it; false when no such agent exists.
    /// Revoking a revoked agent keeps its first revocation time.
    func revoke(_ agent: UUID, now: Date) async throws -> Bool {
        try await database.withTransaction { tx in
            let found = try tx.query("SELECT id FROM agents WHERE id = \(agent) FOR UPDATE")
            guard !found.isEmpty else { return false }
            try tx.execute("UPDATE agents SET revoked_at = \(now) WHERE id = \(agent) AND revoked_at IS NULL")
            try tx.execute("UPDATE api_tokens SET revoked_at = \(now) WHERE agent_id = \(agent) AND revoked_at IS NULL")
            return true
        }
    }
}
