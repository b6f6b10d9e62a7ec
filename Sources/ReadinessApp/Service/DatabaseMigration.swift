import Logging
import Postgres

/// `readiness migrate`: the same migrations `serve` applies on start, on their own.
public enum DatabaseMigration {
    /// The schema, then the data every deployment needs (the shipped default policy).
    static func apply(on pool: PostgresPool, configuration: AppConfiguration, logger: Logger) async throws -> [Int] {
        let applied = try await Migrator(directory: configuration.migrationsDirectory, logger: logger).migrate(pool)
        try await PolicyCatalog(database: pool).ensureDefault(logger: logger)
        return applied
    }

    /// Returns the versions applied (empty when the schema was current).
    public static func run(configuration: AppConfiguration, logger: Logger) async throws -> [Int] {
        guard let url = configuration.databaseURL else { return [] }
        let pool = PostgresPool(configuration: try configuration.postgresConfiguration(url: url), logger: logger)
        do {
            let applied = try await apply(on: pool, configuration: configuration, logger: logger)
            await pool.shutdown()
            return applied
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
