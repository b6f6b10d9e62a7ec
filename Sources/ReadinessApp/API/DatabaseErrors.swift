import HTTPServer
import Postgres

/// The one place database and storage failures become HTTP answers, installed as the
/// responder's ``ErrorTranslation`` (``ReadinessService``) so it covers every layer alike: a
/// token lookup once the token cache expired, a site lookup, the group-commit writer, a read.
/// Storage code throws its own errors (``SiteNotFound``, ``StoreError``, ``PostgresError``, and
/// ingest's ``UploadRejection`` and ``UploadFailure``) and
/// never builds an HTTP answer. Server text never crosses: it was logged by the Postgres layer
/// where it happened.
enum DatabaseErrors {
    /// Seconds a client is told to wait while the database is unreachable: about what a
    /// PostgreSQL restart or a failover takes, and the pool's reconnect needs no longer.
    static let retryAfterSeconds = 5

    /// What `error` is answered as: an unavailable database is 503 with `Retry-After` (the
    /// client may retry), never a 500 (which says "our bug"); other errors pass unchanged.
    @Sendable static func translated(_ error: any Error) -> any Error {
        if let error = error as? SiteNotFound { return problem(error) }
        if let error = error as? StoreError { return problem(error) }
        if let error = error as? UploadRejection { return error.problem }
        if let error = error as? UploadFailure { return error.problem }
        guard let error = error as? PostgresError else { return error }
        if meansUnavailable(error) {
            return HTTPError(
                status: .serviceUnavailable, detail: "the database is busy or unreachable; retry shortly",
                problem: ProblemTypes.databaseUnavailable,
                headers: ["Retry-After": String(retryAfterSeconds)])
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

    /// 404 naming the id as the request gave it. Also the ingest writer's answer for a site
    /// gone before its upload committed (`UploadRejection`).
    static func problem(_ error: SiteNotFound) -> HTTPError {
        HTTPError(
            status: .notFound, detail: "no site \(error.idText.map { "'\($0.prefix(64))'" } ?? "") exists",
            problem: ProblemTypes.notFound)
    }

    /// 500: stored data names what is not there, which no retry or other request changes.
    static func problem(_ error: StoreError) -> HTTPError {
        HTTPError(status: .internalServerError, detail: error.detail)
    }

    /// No session, a session lost mid-statement (a shutdown's 57P01 included), one still
    /// starting (57P03), no free connection in time, or a pool closing: each says nothing about
    /// the request, only that the database cannot serve it now.
    static func meansUnavailable(_ error: PostgresError) -> Bool {
        switch error.kind {
        case .connection, .poolExhausted, .poolShutdown, .timeout: true
        default: error.isConnectionLost
        }
    }
}
