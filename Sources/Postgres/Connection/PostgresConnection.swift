/// A pooled connection lent to a synchronous closure (`withConnection`, `withTransaction`).
///
/// Every call blocks the connection's own worker thread, never a Swift concurrency thread.
/// Not `Sendable`, and invalid once the closure returns: it cannot be kept or shared.
public final class PostgresConnection {
    let base: LibPQConnection
    private var isValid = true
    /// The BEGIN of a transaction that has not sent a statement yet: it travels in one round
    /// trip with the first one (see `PostgresPool.runTransaction`).
    var deferredBegin: String?
    /// Set by `commit(after:)`: the transaction's body ended it itself.
    var committedByBody = false

    init(_ base: LibPQConnection) { self.base = base }

    func invalidate() { isValid = false }

    /// Runs one statement and returns its rows (empty for commands).
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        guard isValid else { throw .misuse("connection used after its closure returned") }
        guard let begin = takeDeferredBegin() else { return try base.execute(query) }
        return try base.pipeline([begin, query])[1]
    }

    /// Runs one statement asking for every column in binary form, and hands its rows to
    /// `body` (`PostgresBinaryRows`, valid for the call only): for statements that answer many
    /// rows of uuids, timestamps, integers and text, read without a copy of any cell.
    public func withBinaryRows<T>(_ query: PostgresQuery, _ body: (PostgresBinaryRows) throws -> T) throws -> T {
        guard isValid else { throw PostgresError.misuse("connection used after its closure returned") }
        if let begin = takeDeferredBegin() { _ = try base.execute(begin) }
        return try base.executeBinary(query, body)
    }

    /// Runs one statement and returns the number of affected rows (0 when not reported).
    @discardableResult
    public func execute(_ query: PostgresQuery) throws(PostgresError) -> Int {
        try self.query(query).affectedRows ?? 0
    }

    /// Runs `queries` in order in one round trip and returns each one's rows (libpq pipeline
    /// mode). A failing statement makes the server skip the rest; its error is thrown. Meant
    /// for statements with small results (row locks, lookups, writes with a count).
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresRows] {
        guard isValid else { throw .misuse("connection used after its closure returned") }
        guard let begin = takeDeferredBegin() else { return try base.pipeline(queries) }
        return Array(try base.pipeline([begin] + queries).dropFirst())
    }

    /// Inside `withTransaction` (or `transaction`): runs `queries` and COMMIT in one round trip,
    /// ending the transaction; the body must send nothing after it. A failing statement rolls
    /// the transaction back and is thrown. When the connection dies on the way, whether the
    /// transaction committed is unknown: the error says so (it is never retried).
    @discardableResult
    public func commit(after queries: [PostgresQuery]) throws(PostgresError) -> [PostgresRows] {
        do {
            let rows = try pipeline(queries + ["COMMIT"])
            committedByBody = true
            return Array(rows.dropLast())
        } catch {
            guard error.isConnectionLost else { throw error }
            var unknown = error
            unknown.commitOutcomeUnknown = true
            throw unknown
        }
    }

    /// Runs `body` between BEGIN and COMMIT on this connection, rolling back when it throws:
    /// `PostgresPool.withTransaction` for code already on a connection's thread (inside
    /// `withConnection`), with no retry.
    public func transaction<T>(
        isolation: PostgresIsolationLevel = .readCommitted, _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try PostgresPool.runTransaction(on: self, isolation: isolation, attempts: 1, body)
    }

    /// How many statements this session has prepared (PQprepare calls); for tests and metrics.
    public var preparedStatementCount: Int { base.prepareCount }

    /// Simple-query protocol with several statements and no parameters; for migrations.
    func executeScript(unsafeSQL sql: String) throws(PostgresError) {
        guard isValid else { throw .misuse("connection used after its closure returned") }
        if let begin = deferredBegin {
            deferredBegin = nil
            _ = try base.executeScript(begin)
        }
        _ = try base.executeScript(sql)
    }

    private func takeDeferredBegin() -> PostgresQuery? {
        guard let begin = deferredBegin else { return nil }
        deferredBegin = nil
        return PostgresQuery(unsafeSQL: begin)
    }
}
