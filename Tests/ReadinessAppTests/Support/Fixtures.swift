import Foundation
import Postgres
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Rows the API tests start from, written straight to the database so a test of one operation
/// does not depend on another operation working.
struct Fixtures {
    let database: PostgresPool

    /// A fresh token of `scope` (admin or read); returns the token in clear.
    func token(_ scope: Scope, name: String = "test", expiresAt: Date? = nil) async throws -> String {
        try await PostgresTokenStore(database: database).createToken(name: name, scope: scope, expiresAt: expiresAt).token
    }

    /// A site with the given parameters; returns its id.
    @discardableResult
    func site(
        name: String = "HQ", region: String? = "emea", tags: [String] = [], expectedUsers: Int = 10,
        longestCallS: Int = 3600, policyName: String = "sococo", policyVersion: Int? = nil
    ) async throws -> UUID {
        let id = UUID()
        try await database.execute(
            """
            INSERT INTO sites (id, name, region, tags, expected_users, longest_call_s, policy_name, policy_version)
            VALUES (\(id), \(name), \(region), \(tags), \(expectedUsers), \(longestCallS), \(policyName), \(policyVersion))
            """)
        return id
    }

    /// An agent of `site` and its token; returns (agent id, token in clear).
    func agent(site: UUID, name: String = "agent") async throws -> (id: UUID, token: String) {
        let agentID = UUID()
        let token = try APIToken.generate()
        try await database.withTransaction { tx in
            try tx.execute("INSERT INTO agents (id, site_id, name) VALUES (\(agentID), \(site), \(name))")
            try tx.execute(
                """
                INSERT INTO api_tokens (id, name, scope, site_id, agent_id, token_hash)
                VALUES (\(UUID()), \(name), 'agent', \(site), \(agentID), \(Data(APIToken.hash(token))))
                """)
        }
        return (agentID, token)
    }
}

extension LiveService {
    var fixtures: Fixtures { Fixtures(database: database) }
}
