import HTTPServer

/// `GET /metrics` (scope read): this replica's metrics for Prometheus, which scrapes each
/// replica on its own address with a bearer token (`authorization` in its scrape config).
struct MetricsRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        router.get("/metrics", access: .read) { [context] _, _, _ in
            let fleet = try? await FleetFigures.load(now: context.clock(), database: context.database)
            let outbox = try? await WebhookOutboxFigures.load(now: context.clock(), database: context.database)
            let body = context.metrics.render(pool: await context.database.statistics, fleet: fleet, outbox: outbox)
            return HTTPResponse(status: .ok, headers: ["Content-Type": ServiceMetrics.contentType, "Cache-Control": "no-store"], body: body)
        }
    }
}
