import HTTPServer
import Logging
import Postgres

/// The one place database failures become HTTP answers. Server text never crosses: it was
/// logged by the Postgres layer where it happened.
enum DatabaseErrors {
    /// Runs `body`, turning an unavailable database into 503 with `Retry-After` (the client may
    /// retry) instead of a 500 (which says "our bug").
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError {
            switch error.kind {
            case .connection, .poolExhausted, .poolShutdown, .timeout:
                throw HTTPError(
                    status: .serviceUnavailable, detail: "the database is busy or unreachable; retry shortly",
                    type: ProblemTypes.databaseUnavailable, title: "Database unavailable",
                    headers: ["Retry-After": "5"])
            default:
                throw error
            }
        }
    }
}
