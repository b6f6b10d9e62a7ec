import BufferedLog
import Foundation
import HTTPServer
import Logging
import Postgres
import ProcessMemory
import Sockets
import STUNReflector

/// The running service: its database pool (when it has one), its routes and its HTTP server.
///
/// Holds no state a second replica would miss: everything durable lives in PostgreSQL, so any
/// number of these run behind a load balancer.
public final class ReadinessService: Sendable {
    public let configuration: AppConfiguration
    public let server: HTTPServer
    /// Every routed (method, path pattern), for the test that holds them equal to the spec.
    public let routes: [(method: String, path: String)]
    let database: PostgresPool?
    let logger: Logger
    /// The UDP reflector agents probe, unless `READINESS_REFLECTOR_LISTEN` is `off`.
    public let reflector: STUNReflector?
    /// Deletes results older than `READINESS_RETENTION_DAYS`, when that is set.
    let retention: RetentionSchedule?
    /// Marks sites stale or fresh again and enqueues `site.stale` / `site.fresh` (webhooks).
    let staleness: StalenessSweepSchedule?
    /// Deletes finished webhook events and attempts older than `READINESS_WEBHOOK_HISTORY_DAYS`.
    let webhookHistory: WebhookHistorySchedule?
    /// Delivers the webhook outbox (every replica runs one), unless `READINESS_WEBHOOK_DELIVERY` is off.
    let webhookWorker: WebhookDeliveryWorker?

    /// Binds the reflector's UDP sockets (so plans can name its port), connects and migrates
    /// (unless told not to), then builds the routes. Nothing is served yet. `clock` is "now" for
    /// the handlers (token expiry and its cache, freshness); tests move it instead of waiting.
    public static func make(
        configuration: AppConfiguration, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) async throws -> ReadinessService {
        var configuration = configuration
        let reflector = try ProbeReflector.make(configuration: configuration, logger: logger)
        configuration.reflectorPort = configuration.reflectorPort
            ?? reflector?.boundAddresses.first.map { Int($0.port) } ?? AppConfiguration.defaultReflectorPort
        var database: PostgresPool?
        if let url = configuration.databaseURL {
            let pool = PostgresPool(configuration: try configuration.postgresConfiguration(url: url), logger: logger)
            if configuration.migrateOnStart {
                do {
                    let applied = try await DatabaseMigration.apply(on: pool, configuration: configuration, logger: logger)
                    logger.info("migrations applied", metadata: ["applied": .stringConvertible(applied.count)])
                } catch {
                    await pool.shutdown()
                    throw error
                }
            }
            database = pool
        } else {
            logger.warning("no DATABASE_URL: serving without a database; /readyz answers 503")
        }
        // The receivers' trust store is loaded here, so a broken one stops the start, not each attempt.
        let metrics = ServiceMetrics(log: (logger.handler as? BufferedLogHandler)?.output)
        let deliverer = try database.map { database in
            try WebhookDeliverer(database: database, settings: configuration.webhooks, metrics: metrics.webhooks, logger: logger, clock: clock)
        }
        return ReadinessService(
            configuration: configuration, database: database, reflector: reflector, logger: logger, clock: clock,
            metrics: metrics, deliverer: deliverer)
    }

    private init(
        configuration: AppConfiguration, database: PostgresPool?, reflector: STUNReflector?, logger: Logger,
        clock: @escaping @Sendable () -> Date, metrics: ServiceMetrics, deliverer: WebhookDeliverer?
    ) {
        self.configuration = configuration
        self.database = database
        self.reflector = reflector
        self.logger = logger
        let doorbell = OutboxDoorbell()
        webhookWorker = configuration.webhooks.enabled ? deliverer.map {
            WebhookDeliveryWorker(deliverer: $0, settings: configuration.webhooks, doorbell: doorbell, logger: logger)
        } : nil
        retention = database.flatMap { database in
            configuration.retention.map {
                RetentionSchedule(pruner: ResultPruner(database: database, logger: logger), period: $0, metrics: metrics.retention)
            }
        }
        webhookHistory = database.flatMap { database in
            configuration.webhooks.historyKept.map {
                WebhookHistorySchedule(pruner: WebhookHistoryPruner(database: database), kept: $0, logger: logger, clock: clock)
            }
        }
        staleness = database.map { database in
            StalenessSweepSchedule(
                sweep: StalenessSweep(database: database), interval: configuration.webhooks.staleSweepInterval,
                logger: logger, clock: clock)
        }
        var router = Router()
        let reflectorStatus = ReflectorStatus(reflector)
        OperationsRoutes(database: database, reflector: reflectorStatus).register(on: &router)
        ProblemPages().register(on: &router)
        if let database {
            APIRoutes.register(
                on: &router,
                context: AppContext(
                    database: database, logger: logger, configuration: configuration, metrics: metrics,
                    reflector: reflectorStatus, clock: clock, outboxDoorbell: doorbell))
        } else {
            SpecRoutes().register(on: &router)
        }
        routes = router.routes.map { (method: "\($0.method)", path: $0.path) }
        var responder = router.buildResponder(middleware: [
            RequestIDMiddleware(),
            AccessLogMiddleware(logger: logger, writer: BufferedAccessLog(logger: logger)),
            RequestMetricsMiddleware(metrics: metrics.requests),
            RateLimitMetricsMiddleware(metrics: metrics.limits),
        ], problemTypes: ProblemTypes.server, translatingErrors: DatabaseErrors.translated)
        responder.deadlines = RequestDeadlines(
            timeout: configuration.limits.requestDeadline, clock: configuration.deadlineClock, error: DeadlineExceeded.error)
        var serverConfiguration = HTTPServerConfiguration(host: configuration.host, port: configuration.port)
        if let loops = configuration.eventLoops { serverConfiguration.eventLoops = loops }
        serverConfiguration.onRefusal = { [requests = metrics.requests] in requests.refused($0) }
        server = HTTPServer(configuration: serverConfiguration, responder: responder, logger: logger)
    }

    /// Starts the reflector, then binds; returns the port (the real one when configured with
    /// port 0). A process that serves until signalled calls ``installSignalHandlers()`` first, so
    /// no SIGTERM can arrive between the first answer and the handlers (it would kill the process
    /// instead of draining it).
    @discardableResult
    public func start() throws -> Int {
        // Large request bodies (up to 16 MiB, and as much again inflated) must go back to the
        // system once answered, or resident memory only ever grows (see ProcessMemory).
        ProcessMemory.returnLargeAllocationsWhenFreed()
        reflector?.start()
        do {
            let port = try server.start()
            retention?.start()
            staleness?.start()
            webhookHistory?.start()
            webhookWorker?.start()
            return port
        } catch {
            reflector?.stop()
            throw error
        }
    }

    /// Turns the first SIGTERM / SIGINT into a drain within the configured grace; call it before
    /// ``start()``.
    public func installSignalHandlers() throws {
        try server.installSignalHandlers(deadline: configuration.shutdownGrace)
    }

    /// Serves until the server is shut down (by a signal once ``installSignalHandlers()`` ran),
    /// then stops the reflector and closes the pool.
    public func runUntilSignalled() async throws {
        try await server.run()
        await webhookWorker?.stop()
        await retention?.stop()
        await staleness?.stop()
        await webhookHistory?.stop()
        await reflector?.shutdown()
        await database?.shutdown()
    }

    /// Drains the server, stops the reflector and closes the pool; for tests and embedding.
    public func shutdown() async {
        await server.shutdown(deadline: configuration.shutdownGrace)
        await webhookWorker?.stop()
        await retention?.stop()
        await staleness?.stop()
        await webhookHistory?.stop()
        await reflector?.shutdown()
        await database?.shutdown()
    }
}

extension AppConfiguration {
    func postgresConfiguration(url: String) throws -> PostgresConfiguration {
        // No statement outlives the request it serves, and no transaction stays open waiting
        // for the service (issue 14): both bounded by the request deadline.
        var postgres = try PostgresConfiguration(
            url: url, minConnections: 1, maxConnections: databaseMaxConnections,
            statementTimeout: limits.requestDeadline, applicationName: "readiness"
        )
        postgres.idleInTransactionTimeout = limits.requestDeadline
        return postgres
    }
}
