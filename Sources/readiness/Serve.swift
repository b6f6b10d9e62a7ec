import ArgumentParser
import ReadinessApp

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations, then serve the API until SIGTERM or SIGINT.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "Address to listen on (READINESS_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "TCP port (READINESS_PORT, default 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "Event-loop threads (READINESS_EVENT_LOOPS, default one per core).")
    var eventLoops: Int?

    @Option(help: "UDP reflector listen addresses, host:port[,host:port] or off (READINESS_REFLECTOR_LISTEN, default the HTTP host, port 3478 and, where it may bind it, 443).")
    var reflectorListen: String?

    @Flag(help: "Do not apply migrations on start (another process runs `readiness migrate`).")
    var noMigrate = false

    @Flag(help: "Serve without a database even if DATABASE_URL is set (benchmarks of the HTTP layer).")
    var noDatabase = false

    func run() async throws {
        var configuration = try options.configuration()
        if let host { configuration.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
            configuration.port = port
        }
        if let eventLoops {
            guard eventLoops >= 1 else { throw ValidationError("--event-loops must be at least 1") }
            configuration.eventLoops = eventLoops
        }
        if let reflectorListen {
            guard let listen = ReflectorListen(parsing: reflectorListen) else {
                throw ValidationError("--reflector-listen: expected 'off' or a comma-separated host:port list")
            }
            configuration.reflectorListen = listen
        }
        if noMigrate { configuration.migrateOnStart = false }
        if noDatabase { configuration.databaseURL = nil }
        try await options.withLogger(configuration) { logger in
            let service = try await ReadinessService.make(configuration: configuration, logger: logger)
            try service.installSignalHandlers()
            try service.start()
            try await service.runUntilSignalled()
        }
    }
}
