import BufferedLog
import Foundation
import Postgres
import Prometheus

/// This replica's metrics, served at `GET /metrics` in Prometheus' text format. Each service has
/// a registry of its own (tests run several services in one process); every figure counts
/// what this process did since it started, and Prometheus sums replicas itself.
final class ServiceMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    let requests: RequestMetrics
    let ingest: IngestMetrics
    let retention: RetentionMetrics
    let limits: LimitMetrics
    let webhooks: WebhookMetrics
    private let pool: PoolGauges
    /// The process's log, when it is a buffered one (the executable's always is).
    private let log: BufferedLogOutput?

    init(log: BufferedLogOutput? = nil) {
        self.log = log
        requests = RequestMetrics(registry: registry)
        ingest = IngestMetrics(registry: registry)
        retention = RetentionMetrics(registry: registry)
        limits = LimitMetrics(registry: registry)
        webhooks = WebhookMetrics(registry: registry)
        pool = PoolGauges(registry: registry)
    }

    /// The exposition: the registry's series, the pool as it is now, and the process's own.
    /// `fleet`: nil when it could not be read (the database is down): the replica's own figures
    /// are still served, and the fleet's gauges are absent rather than wrong.
    func render(pool statistics: PostgresPoolStatistics?, fleet: FleetFigures? = nil, outbox: WebhookOutboxFigures? = nil) -> [UInt8] {
        if let statistics { pool.set(statistics) }
        var buffer = registry.emitToBuffer()
        ProcessFigures.read().append(to: &buffer)
        if let log { LogFigures(statistics: log.statistics).append(to: &buffer) }
        fleet?.append(to: &buffer)
        outbox?.append(to: &buffer)
        return buffer
    }

    /// Prometheus' text exposition format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// The database pool's connections, set when scraped (the pool is an actor; a gauge kept up to
/// date on every lease would cost the hot path for a figure read every few seconds).
private struct PoolGauges {
    let open: Gauge
    let idle: Gauge
    let leased: Gauge
    let waiting: Gauge

    init(registry: PrometheusCollectorRegistry) {
        open = registry.makeGauge(descriptor: .named("readiness_db_pool_connections", help: "Open connections to PostgreSQL."))
        idle = registry.makeGauge(descriptor: .named("readiness_db_pool_idle_connections", help: "Open connections not leased."))
        leased = registry.makeGauge(descriptor: .named(
            "readiness_db_pool_leased_connections", help: "Connections leased to a request or a commit lane."))
        waiting = registry.makeGauge(descriptor: .named(
            "readiness_db_pool_waiting", help: "Requests waiting for a connection (the pool is at its maximum)."))
    }

    func set(_ statistics: PostgresPoolStatistics) {
        open.set(Int64(statistics.connections))
        idle.set(Int64(statistics.idle))
        leased.set(Int64(statistics.leased))
        waiting.set(Int64(statistics.waiting))
    }
}
