import Foundation
import Logging
import Postgres
import ReadinessApp
import ReadinessTestSupport

/// The real service on a loopback port 0, over a fresh database with the real migrations.
/// Shared by every test target that needs the whole service (the app's API tests, the agent's).
public struct LiveService: Sendable {
    public let service: ReadinessService
    public let client: APIClient
    public let database: PostgresPool
    /// What the service was started with (its database URL included), e.g. for
    /// `TokenBootstrap`.
    public let configuration: AppConfiguration
    public let port: Int

    public static var migrationsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations")
    }

    public static var logger: Logger {
        var logger = Logger(label: "app-tests")
        logger.logLevel = .critical
        return logger
    }

    public static func configuration(databaseURL: String?) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        // Dozens of live services run at once in one test process; each gets a small pool so
        // together they stay inside the test cluster's max_connections.
        configuration.databaseMaxConnections = 3
        configuration.databaseURL = databaseURL
        configuration.migrationsDirectory = migrationsDirectory
        configuration.shutdownGrace = .seconds(2)
        // Dozens run at once: none may take the default UDP port. Probe tests turn it on at port 0.
        configuration.reflectorListen = .off
        // The suite runs in parallel on two cores, where a request can wait many seconds for a
        // core: the 10 s default would turn a slow answer into a 503. The deadline's own tests
        // fire a `ManualDeadlineClock` instead of waiting for it.
        configuration.limits.requestDeadline = .seconds(60)
        return configuration
    }

    /// Runs `body` against a started service; always shuts it down and drops the database.
    /// `prepare` runs on the fresh database before the service starts (and migrates it).
    /// `clock` is the service's "now" (a ``ManualDateClock`` for tests about time windows).
    public static func with<T>(
        logger: Logger = Self.logger,
        clock: @escaping @Sendable () -> Date = Date.init,
        configure: (inout AppConfiguration) -> Void = { _ in },
        prepare: (PostgresPool) async throws -> Void = { _ in },
        _ body: (LiveService) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with { pool, postgresConfiguration in
            try await prepare(pool)
            var configuration = Self.configuration(databaseURL: postgresConfiguration.url)
            configure(&configuration)
            let service = try await ReadinessService.make(configuration: configuration, logger: logger, clock: clock)
            let port = try service.start()
            let live = LiveService(service: service, client: APIClient(port: port), database: pool, configuration: configuration, port: port)
            let result: Result<T, any Error>
            do { result = .success(try await body(live)) } catch { result = .failure(error) }
            await service.shutdown()
            return try result.get()
        }
    }
}
