import ArgumentParser
import BufferedLog
import Foundation
import Logging
import ReadinessApp

/// Options shared by the commands; each overrides the environment variable named in its help.
struct ServiceOptions: ParsableArguments {
    @Option(help: "Log level (READINESS_LOG_LEVEL): trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(help: "Log format (READINESS_LOG_FORMAT): text (default) or json, one object per line.")
    var logFormat: String?

    @Option(help: "Append the log to this file instead of standard error (READINESS_LOG_FILE; '-' for stderr).")
    var logFile: String?

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
        do {
            try configuration.log.override(format: logFormat, file: logFile)
        } catch {
            throw ValidationError(error.description)
        }
        if let migrationsDir { configuration.migrationsDirectory = URL(fileURLWithPath: migrationsDir) }
        return configuration
    }

    /// Runs `body` with the process's log set up as configured, and writes out what is buffered
    /// whichever way `body` ends (the error it throws is printed after the log's last line).
    func withLogger<T>(_ configuration: AppConfiguration, _ body: (Logger) async throws -> T) async throws -> T {
        let output: BufferedLogOutput
        do {
            output = try BufferedLogOutput(settings: configuration.log)
        } catch {
            throw ValidationError("--log-file / READINESS_LOG_FILE: \(error)")
        }
        output.bootstrapLoggingSystem(level: configuration.logLevel)
        defer { output.shutdown() }
        return try await body(Logger(label: "readiness"))
    }
}
