/// A pooled connection lent to a synchronous closure (`withConnection`, `withTransaction`).
///
/// Every call blocks the connection's own worker thread, never a Swift concurrency thread.
/// Not `Sendable`, and invalid once the closure returns: it cannot be kept or shared.
public final class PostgresConnection {
    let base: LibPQConnection
    private var isValid = true

    init(_ base: LibPQConnection) { self.base = base }

    func invalidate() { isValid = false }

    /// Runs one statement and returns its rows (empty for commands).
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        guard isValid else { throw .misuse("connection used after its closure returned") }
        return try base.execute(query)
    }

    /// Runs one statement and returns the number of affected rows (0 when not reported).
    @discardableResult
    public func execute(_ query: PostgresQuery) throws(PostgresError) -> Int {
        try self.query(query).affectedRows ?? 0
    }

    /// How many statements this session has prepared (PQprepare calls); for tests and metrics.
    public var preparedStatementCount: Int { base.prepareCount }

    /// Simple-query protocol with several statements and no parameters; for migrations.
    func executeScript(unsafeSQL sql: String) throws(PostgresError) {
        guard isValid else { throw .misuse("connection used after its closure returned") }
        _ = try base.executeScript(sql)
    }
}
