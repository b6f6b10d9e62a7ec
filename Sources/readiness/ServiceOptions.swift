import ArgumentParser
import Foundation
import Logging
import ReadinessApp

/// Options shared by the commands; each overrides the environment variable named in its help.
struct ServiceOptions: ParsableArguments {
    @Option(help: "Log level (READINESS_LOG_LEVEL): trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(help: "Directory of numbered SQL migrations (READINESS_MIGRATIONS_DIR).")
    var migrationsDir: String?

    func configuration() throws -> AppConfiguration {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw ValidationError("--log-level: expected one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        if let migrationsDir { configuration.migrationsDirectory = URL(fileURLWithPath: migrationsDir) }
        return configuration
    }

    func logger(_ configuration: AppConfiguration) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        return Logger(label: "readiness")
    }
}
