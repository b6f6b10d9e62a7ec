import BufferedLog
import Foundation
import HTTPServer
import Logging
import STUNReflector

/// Everything `readiness serve` needs, read from the environment with the command line on top.
/// The README's configuration table lists the same variables and defaults; keep them in step.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// nil: one event loop per core.
    public var eventLoops: Int?
    public var databaseURL: String?
    public var databaseMaxConnections: Int = 10
    public var migrationsDirectory: URL = URL(fileURLWithPath: "migrations")
    public var migrateOnStart: Bool = true
    public var logLevel: Logger.Level = .info
    /// The log's format and destination (`READINESS_LOG_FORMAT`, `READINESS_LOG_FILE`).
    public var log = LogSettings()
    /// How long in-flight requests may run after SIGTERM before the server closes them.
    public var shutdownGrace: Duration = .seconds(10)
    /// How long an authenticated token is trusted without asking PostgreSQL again: the longest
    /// a revoked token keeps working. 0 checks every request (tests that revoke tokens use it).
    public var authCacheTTL: TimeInterval = 5
    /// How long raw results are kept (`READINESS_RETENTION_DAYS`); nil keeps them for ever.
    public var retention: RetentionPeriod?
    /// Rate limits and the request deadline (AppConfiguration+Limits).
    public var limits = RequestLimits()
    /// What fires request deadlines; tests inject one they fire themselves.
    public var deadlineClock: any DeadlineClock = DispatchDeadlineClock()

    /// Where agents find the UDP reflector; nil: the host they reached the API by.
    public var reflectorHost: String?
    /// The port agent plans name; nil: the reflector's first listen port (3478 when it is off).
    public var reflectorPort: Int?
    /// Where the UDP reflector listens (`READINESS_REFLECTOR_LISTEN`).
    public var reflectorListen: ReflectorListen = .httpHost
    /// The ports of ``ReflectorListen/httpHost``: 3478, and 443 where permitted.
    var reflectorDefaultPorts = ReflectorDefaultPorts()
    /// Rate limits and bounds of the reflector (`READINESS_REFLECTOR_*`).
    public var reflectorLimits = ReflectorLimits()
    /// Webhook destinations, the staleness sweep and delivery (`READINESS_WEBHOOK_*`, `READINESS_PUBLIC_URL`).
    public var webhooks = WebhookSettings()

    public init() {}

    /// Reads `READINESS_*` and `DATABASE_URL`; a malformed value is an error naming the variable,
    /// never a silent fallback to the default.
    public init(environment: [String: String]) throws {
        self.init()
        if let value = environment["READINESS_HOST"], !value.isEmpty { host = value }
        if let value = environment["READINESS_PORT"] { port = try Self.integer(value, "READINESS_PORT", in: 0...65535) }
        if let value = environment["READINESS_EVENT_LOOPS"] { eventLoops = try Self.integer(value, "READINESS_EVENT_LOOPS", in: 1...256) }
        if let value = environment["DATABASE_URL"], !value.isEmpty { databaseURL = value }
        if let value = environment["READINESS_DB_MAX_CONNECTIONS"] {
            databaseMaxConnections = try Self.integer(value, "READINESS_DB_MAX_CONNECTIONS", in: 1...1000)
        }
        if let value = environment["READINESS_MIGRATIONS_DIR"], !value.isEmpty {
            migrationsDirectory = URL(fileURLWithPath: value)
        }
        if let value = environment["READINESS_LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw ConfigurationError(variable: "READINESS_LOG_LEVEL", detail: "expected one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = level
        }
        try readLogSettings(environment)
        if let value = environment["READINESS_SHUTDOWN_GRACE_S"] {
            shutdownGrace = .seconds(try Self.integer(value, "READINESS_SHUTDOWN_GRACE_S", in: 0...3600))
        }
        if let value = environment["READINESS_REFLECTOR_HOST"], !value.isEmpty { reflectorHost = value }
        if let value = environment["READINESS_REFLECTOR_PORT"] {
            reflectorPort = try Self.integer(value, "READINESS_REFLECTOR_PORT", in: 1...65535)
        }
        try readReflectorSettings(environment)
        try readWebhookSettings(environment)
        limits = try Self.requestLimits(environment)
        if let value = environment["READINESS_AUTH_CACHE_TTL_S"] {
            authCacheTTL = TimeInterval(try Self.integer(value, "READINESS_AUTH_CACHE_TTL_S", in: 0...300))
        }
        if let value = environment["READINESS_RETENTION_DAYS"] {
            let allowed = RetentionPeriod.allowedDays
            let days = try Self.integer(value, "READINESS_RETENTION_DAYS", in: 0...allowed.upperBound)
            guard days == 0 || allowed.contains(days) else {
                throw ConfigurationError(
                    variable: "READINESS_RETENTION_DAYS",
                    detail: "expected 0 (keep for ever) or at least \(allowed.lowerBound) days, got '\(value)'")
            }
            retention = days == 0 ? nil : RetentionPeriod(days: days)
        }
    }

    static func integer(_ text: String, _ variable: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: variable, detail: "expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }
}

/// A configuration value that cannot be used; names the variable so the operator can fix it.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let variable: String
    public let detail: String
    public var description: String { "\(variable): \(detail)" }
}
