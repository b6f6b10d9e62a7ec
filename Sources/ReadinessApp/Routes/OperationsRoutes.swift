import HTTPServer
import Postgres

/// `/healthz` and `/readyz`, for load balancers and orchestrators.
struct OperationsRoutes: Sendable {
    let database: PostgresPool?
    /// Reported beside the database's state: a port the reflector could not bind is a rule no
    /// agent can test, which an operator should see before the assessments show it.
    let reflector: ReflectorStatus
    /// A readiness probe that hangs is worse than one that says no: the balancer's own
    /// timeout would mark us down without a reason.
    var pingTimeout: Duration = .seconds(2)

    private static let ok = HTTPResponse(
        status: .ok, headers: ["Content-Type": "application/json"], body: Array(#"{"status":"ok"}"#.utf8))

    func register(on router: inout Router) {
        // Alive means the process answers; it never touches the database, so a slow database
        // does not get healthy replicas restarted.
        router.get("/healthz") { _, _ in Self.ok }
        router.get("/readyz") { [database, pingTimeout, reflector] _, context async throws -> HTTPResponse in
            guard let database else { throw Self.unavailable("no database is configured") }
            do {
                try await Self.ping(database, within: pingTimeout)
            } catch {
                context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
                throw Self.unavailable("the database is not reachable")
            }
            return try APIJSON.response(Readiness(status: "ok", reflector: reflector))
        }
    }

    /// The `/readyz` body (openapi `Readiness`).
    struct Readiness: Encodable {
        var status: String
        var reflector: ReflectorStatus
    }

    private static func unavailable(_ detail: String) -> HTTPError {
        HTTPError(
            status: .serviceUnavailable, detail: detail,
            problem: ProblemTypes.databaseUnavailable,
            headers: ["Retry-After": "5"])
    }

    private static func ping(_ database: PostgresPool, within timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.ping() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
