import JSON
import Foundation
import Logging
import Postgres

/// `readiness results prune`: the service's hourly prune on demand (from cron, say, or to see
/// what a retention period would delete before setting it).
public enum RetentionCommand {
    /// Migrates if needed, prunes (or, with `dryRun`, counts), and returns what was done, in words.
    public static func prune(
        configuration: AppConfiguration, period: RetentionPeriod, dryRun: Bool, logger: Logger, now: Date = Date()
    ) async throws -> String {
        guard let url = configuration.databaseURL else { throw ConfigurationError(variable: "DATABASE_URL", detail: "is not set") }
        let pool = PostgresPool(configuration: try configuration.postgresConfiguration(url: url), logger: logger)
        do {
            _ = try await DatabaseMigration.apply(on: pool, configuration: configuration, logger: logger)
            let boundary = period.pruneBoundary(now: now)
            let report = try await ResultPruner(database: pool, logger: logger).prune(before: boundary, dryRun: dryRun)
            await pool.shutdown()
            return describe(report, dryRun: dryRun)
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    static func describe(_ report: ResultPruner.Report, dryRun: Bool) -> String {
        let boundary = RFC3339Timestamp.format(report.boundary)
        if report.skipped { return "another prune is running; nothing done" }
        let months = report.partitions.isEmpty ? "no month" : report.partitions.joined(separator: ", ")
        return dryRun
            ? "results that started before \(boundary): would drop \(months); would delete \(report.claims) run_id claims"
            : "results that started before \(boundary): dropped \(months); deleted \(report.claims) run_id claims"
    }
}
