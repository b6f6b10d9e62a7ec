import Foundation
import Logging
import Postgres

/// `readiness token create`: the first admin token comes from the command line, because the
/// API that creates tokens needs one.
public enum TokenBootstrap {
    /// Migrates if needed, stores the hash, and returns the token (printed once by the caller).
    public static func create(
        configuration: AppConfiguration, name: String, scope: String, expiresAt: Date?, logger: Logger
    ) async throws -> String {
        guard let url = configuration.databaseURL else { throw ConfigurationError(variable: "DATABASE_URL", detail: "is not set") }
        guard let scope = Scope(rawValue: scope), scope != .agent else {
            throw ConfigurationError(variable: "--scope", detail: "expected admin or read (agent tokens come with an agent: POST /v1/sites/{id}/agents)")
        }
        guard !name.isEmpty, name.count <= 255 else {
            throw ConfigurationError(variable: "--name", detail: "expected 1 to 255 characters")
        }
        let pool = PostgresPool(configuration: try configuration.postgresConfiguration(url: url), logger: logger)
        do {
            _ = try await DatabaseMigration.apply(on: pool, configuration: configuration, logger: logger)
            let created = try await PostgresTokenStore(database: pool).createToken(name: name, scope: scope, expiresAt: expiresAt)
            logger.info("token created", metadata: ["token_id": "\(created.id)", "scope": "\(scope.rawValue)"])
            await pool.shutdown()
            return created.token
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
