import ArgumentParser

@main
struct Readiness: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness",
        abstract: "Network readiness for real-time collaboration, site by site.",
        subcommands: [Serve.self, Migrate.self, Token.self, Results.self]
    )
}
