/// The one error type of the Postgres layer.
///
/// `description` is built only from fields this layer chose (kind, SQLSTATE, constraint,
/// column, a fixed reason) and never from the server's message, detail or hint, which can
/// contain row values; those are logged where the failure happens. That makes it safe to
/// put `description` in an HTTP problem document.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Could not connect, or the session died (server restart, network).
        case connection
        /// The server rejected the statement (see `sqlState`).
        case server
        /// Statement timeout (SQLSTATE 57014) or connect timeout.
        case timeout
        /// A parameter could not be sent (NUL in text, too many parameters); nothing was sent.
        case encoding
        /// A column value could not be decoded into the requested Swift type.
        case decoding
        /// No connection became free within the acquire timeout.
        case poolExhausted
        /// The pool was shut down.
        case poolShutdown
        /// Invalid configuration or API misuse.
        case configuration
        /// A migration file is malformed, edited after being applied, or failed.
        case migration
    }

    public var kind: Kind
    public var sqlState: SQLState?
    /// `PG_DIAG_CONSTRAINT_NAME`: lets callers map e.g. a unique violation to a field.
    public var constraintName: String?
    public var tableName: String?
    /// For decoding errors: the result column; for server errors: `PG_DIAG_COLUMN_NAME`.
    public var columnName: String?
    /// A fixed, layer-authored explanation (never server text, never parameter values).
    public var reason: String
    /// Set when the connection died while COMMIT was in flight: the transaction may or may
    /// not have committed, so it must not be rerun automatically.
    var commitOutcomeUnknown = false

    public init(
        kind: Kind, reason: String, sqlState: SQLState? = nil,
        constraintName: String? = nil, tableName: String? = nil, columnName: String? = nil
    ) {
        self.kind = kind
        self.reason = reason
        self.sqlState = sqlState
        self.constraintName = constraintName
        self.tableName = tableName
        self.columnName = columnName
    }

    public var description: String {
        var parts = ["PostgresError.\(kind.rawValue): \(reason)"]
        if let sqlState { parts.append("sqlstate=\(sqlState)") }
        if let constraintName { parts.append("constraint=\(constraintName)") }
        if let tableName { parts.append("table=\(tableName)") }
        if let columnName { parts.append("column=\(columnName)") }
        return parts.joined(separator: " ")
    }

    /// True when the session is unusable and the connection must be replaced.
    public var isConnectionLost: Bool {
        kind == .connection || (sqlState?.meansConnectionLost ?? false)
    }
}

extension PostgresError {
    static func decoding(column: String, reason: String) -> PostgresError {
        PostgresError(kind: .decoding, reason: reason, columnName: column)
    }

    @usableFromInline
    static func encoding(_ reason: String) -> PostgresError {
        PostgresError(kind: .encoding, reason: reason)
    }

    /// A text value holding U+0000, refused before sending. It carries the SQLSTATE PostgreSQL
    /// itself gives a NUL in text (22021, character_not_in_repertoire), so that callers treat
    /// the caller's value, not the statement, as the fault.
    static func nulInText(_ reason: String) -> PostgresError {
        PostgresError(kind: .encoding, reason: reason, sqlState: .characterNotInRepertoire)
    }

    static func misuse(_ reason: String) -> PostgresError {
        PostgresError(kind: .configuration, reason: reason)
    }
}
