import ArgumentParser
import Foundation
import ReadinessApp

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API tokens from the command line.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an admin or read token and print it once (only its hash is stored).")

        @OptionGroup var options: ServiceOptions

        @Option(help: "admin or read.")
        var scope: String

        @Option(help: "A name that says who holds the token.")
        var name: String

        @Option(help: "Days until the token expires (default: never).")
        var expiresInDays: Int?

        func run() async throws {
            var configuration = try options.configuration()
            // The token goes to stdout; keep stderr quiet unless asked.
            if options.logLevel == nil { configuration.logLevel = .warning }
            if let days = expiresInDays, days < 1 { throw ValidationError("--expires-in-days must be at least 1") }
            let expiresAt = expiresInDays.map { Date().addingTimeInterval(Double($0) * 86_400) }
            do {
                let token = try await options.withLogger(configuration) { logger in
                    try await TokenBootstrap.create(
                        configuration: configuration, name: name, scope: scope, expiresAt: expiresAt, logger: logger)
                }
                print(token)
            } catch let error as ConfigurationError {
                throw ValidationError(error.description)
            }
        }
    }
}
