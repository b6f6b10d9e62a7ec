import CLibPQ

/// How to reach the server and how the pool behaves.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection URI (`postgresql://user@host:5432/db?sslmode=require`) or a
    /// key/value string (`host=... dbname=...`), passed to libpq unchanged.
    /// Deliberately not printed anywhere: it may hold a password.
    public var url: String
    public var minConnections: Int
    public var maxConnections: Int
    /// libpq's `connect_timeout` (whole seconds, at least 2: libpq ignores smaller values).
    public var connectTimeout: Duration
    /// `SET statement_timeout` on every connection; nil leaves the server's default.
    public var statementTimeout: Duration?
    /// `SET idle_in_transaction_session_timeout` on every connection; nil leaves the server's
    /// default. The server ends a session whose transaction waits on the client this long.
    public var idleInTransactionTimeout: Duration?
    /// Connections above `minConnections` idle this long are closed.
    public var idleTimeout: Duration
    /// How long a caller waits for a free connection before `.poolExhausted`.
    public var acquireTimeout: Duration
    /// A connection idle this long is checked with a round trip before reuse.
    public var healthCheckAfterIdle: Duration
    /// Attempts for a `retryable` transaction failing with 40001/40P01.
    public var transactionAttempts: Int
    public var applicationName: String?

    public init(
        url: String,
        minConnections: Int = 1,
        maxConnections: Int = 10,
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration? = .seconds(30),
        idleTimeout: Duration = .seconds(300),
        acquireTimeout: Duration = .seconds(10),
        healthCheckAfterIdle: Duration = .seconds(5),
        transactionAttempts: Int = 3,
        applicationName: String? = nil
    ) throws(PostgresError) {
        guard minConnections >= 0, maxConnections >= 1, minConnections <= maxConnections else {
            throw .misuse("need 0 <= minConnections <= maxConnections and maxConnections >= 1")
        }
        guard transactionAttempts >= 1 else { throw .misuse("transactionAttempts must be at least 1") }
        guard Self.isValidConnectionString(url) else {
            // The parser's message could echo the string, password included: not repeated here.
            throw .misuse("DATABASE_URL is not a libpq connection URI or key=value string")
        }
        self.url = url
        self.minConnections = minConnections
        self.maxConnections = maxConnections
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.idleTimeout = idleTimeout
        self.acquireTimeout = acquireTimeout
        self.healthCheckAfterIdle = healthCheckAfterIdle
        self.transactionAttempts = transactionAttempts
        self.applicationName = applicationName
    }

    /// PQconninfoParse only parses (no I/O), so a typo fails at start-up, not at first query.
    static func isValidConnectionString(_ url: String) -> Bool {
        guard !url.isEmpty else { return false }
        var error: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(url, &error)
        if let error { PQfreemem(error) }
        guard let options else { return false }
        PQconninfoFree(options)
        return true
    }

    var connectTimeoutSeconds: Int {
        max(2, Int((Double(connectTimeout.components.seconds) + Double(connectTimeout.components.attoseconds) / 1e18).rounded(.up)))
    }

    var idleInTransactionTimeoutMilliseconds: Int? {
        idleInTransactionTimeout.map { Int($0.components.seconds) * 1000 + Int($0.components.attoseconds / 1_000_000_000_000_000) }
    }

    var statementTimeoutMilliseconds: Int? {
        statementTimeout.map { Int($0.components.seconds) * 1000 + Int($0.components.attoseconds / 1_000_000_000_000_000) }
    }
}
