import ArgumentParser
import ReadinessApp

struct Results: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage stored results from the command line.", subcommands: [Prune.self])

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete results older than the retention period, whole months at a time (the service also does this hourly).",
            discussion: """
                Drops each monthly partition of results that lies wholly before the retention \
                cutoff and deletes those results' run_id claims. Hourly and daily history, \
                changes and current assessments are kept.
                """)

        @OptionGroup var options: ServiceOptions

        @Option(help: "Days of results to keep (default READINESS_RETENTION_DAYS; at least 31).")
        var retentionDays: Int?

        @Flag(help: "Say what would be deleted, and delete nothing.")
        var dryRun = false

        func run() async throws {
            let configuration = try options.configuration()
            guard let days = retentionDays ?? configuration.retention?.days else {
                throw ValidationError("no retention period: pass --retention-days or set READINESS_RETENTION_DAYS")
            }
            let allowed = RetentionPeriod.allowedDays
            guard allowed.contains(days) else {
                throw ValidationError("--retention-days must be \(allowed.lowerBound) to \(allowed.upperBound)")
            }
            do {
                print(try await options.withLogger(configuration) { logger in
                    try await RetentionCommand.prune(
                        configuration: configuration, period: RetentionPeriod(days: days), dryRun: dryRun, logger: logger)
                })
            } catch let error as ConfigurationError {
                throw ValidationError(error.description)
            }
        }
    }
}
