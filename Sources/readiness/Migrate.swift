import ArgumentParser
import ReadinessApp

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations from the migrations directory and exit.")

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let configuration = try options.configuration()
        guard configuration.databaseURL != nil else { throw ValidationError("DATABASE_URL is not set") }
        let applied = try await options.withLogger(configuration) { logger in
            try await DatabaseMigration.run(configuration: configuration, logger: logger)
        }
        print(applied.isEmpty ? "nothing to apply" : "applied: \(applied.map(String.init).joined(separator: ", "))")
    }
}
