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
        } catch {
            throw translated(error)
        }
    }

    /// What ``mapped(_:)`` throws in place of `error`, for callers that are not async.
    static func translated(_ error: any Error) -> any Error {
        guard let error = error as? PostgresError else { return error }
        switch error.kind {
        case .connection, .poolExhausted, .poolShutdown, .timeout:
            return HTTPError(
                status: .serviceUnavailable, detail: "the database is busy or unreachable; retry shortly",
                problem: ProblemTypes.databaseUnavailable,
                headers: ["Retry-After": "5"])
        default:
            break
        }
        // A value from the request that PostgreSQL text cannot hold (U+0000, refused before it
        // was sent, or an escape jsonb refuses): the client's fault, not ours. Request bodies
        // are checked member by member first (FieldReader); this catches what has no pointer,
        // such as a query parameter.
        if error.sqlState == .characterNotInRepertoire || error.sqlState == .untranslatableCharacter {
            return HTTPError(
                status: .badRequest, detail: "a value in the request holds a character that cannot be stored (U+0000)",
                problem: ProblemTypes.invalidRequest)
        }
        return error
    }
}
