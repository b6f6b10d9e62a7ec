import Foundation
import Logging
import Postgres

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A fresh database per test on the cluster `make test` starts, for every test target.
public enum TestDatabase {
    public static let logger: Logger = {
        var logger = Logger(label: "postgres-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Fails (never skips) when the cluster `make test` provides is missing.
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["READINESS_TEST_DATABASE_URL"], !url.isEmpty else {
            throw TestSetupError(description: """
                READINESS_TEST_DATABASE_URL is not set. Run `make test`, or start a cluster with \
                `scripts/dev-postgres.sh start /tmp/pg --fast` and export \
                READINESS_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/postgres
                """)
        }
        return url
    }

    /// The statement timeout catches a hung statement, not a slow one: when the whole suite starts,
    /// about a hundred tests create and migrate their databases at once on two cores, and a
    /// `CREATE DATABASE` (it copies the template through the WAL) can then take more than 10 s,
    /// and loading a year of results (HistoryTests) more than 30 s.
    /// The connect timeout likewise: the local cluster forks a backend per connection, and
    /// with the machine's load above 20 a burst of connects took longer than 5 s.
    public static func configuration(url: String, maxConnections: Int = 4) throws -> PostgresConfiguration {
        try PostgresConfiguration(
            url: url, minConnections: 0, maxConnections: maxConnections, connectTimeout: .seconds(30),
            statementTimeout: .seconds(120), idleTimeout: .seconds(60), acquireTimeout: .seconds(5)
        )
    }

    /// Creates a uniquely named database, runs `body` with a pool on it, then drops it.
    public static func with<T>(
        configure: (inout PostgresConfiguration) -> Void = { _ in },
        _ body: (PostgresPool, PostgresConfiguration) async throws -> T
    ) async throws -> T {
        let admin = PostgresPool(configuration: try configuration(url: try adminURL(), maxConnections: 1), logger: logger)
        let name = "readiness_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), idempotent: true)
        var config = try configuration(url: try url(forDatabase: name))
        configure(&config)
        let pool = PostgresPool(configuration: config, logger: logger)
        let result: Result<T, any Error>
        do { result = .success(try await body(pool, config)) } catch { result = .failure(error) }
        await pool.shutdown()
        _ = try? await admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"), idempotent: true)
        await admin.shutdown()
        return try result.get()
    }

    public static func url(forDatabase name: String) throws -> String {
        guard var components = URLComponents(string: try adminURL()) else {
            throw TestSetupError(description: "READINESS_TEST_DATABASE_URL must be a postgresql:// URI")
        }
        components.path = "/" + name
        guard let url = components.string else { throw TestSetupError(description: "cannot build test database URL") }
        return url
    }

    /// `scripts/dev-postgres.sh`, found from this file's path (Tests/Support/ -> root).
    public static var scriptsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts")
    }
}

/// A counter the `@Sendable` closures of the tests can bump from a worker thread.
public final class Counter: @unchecked Sendable {  // test-only; guarded by `lock`
    public init() {}
    private let lock = NSLock()
    private var value = 0

    @discardableResult
    public func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }

    public var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
