import CLibPQ
import Foundation
import Logging

/// Owns one `PGconn`. Not `Sendable`: it is created, used and finished on a single
/// worker thread (`ConnectionWorker`), so libpq never runs on Swift's cooperative pool.
final class LibPQConnection {
    let handle: OpaquePointer
    let logger: Logger
    /// Statement name -> SQL, to prepare each hot statement once per session.
    private var preparedStatements: [String: String] = [:]
    private(set) var prepareCount = 0

    private init(handle: OpaquePointer, logger: Logger) {
        self.handle = handle
        self.logger = logger
    }

    deinit { PQfinish(handle) }

    /// Blocks the calling (worker) thread for at most the connect timeout.
    static func connect(_ configuration: PostgresConfiguration, logger: Logger) throws(PostgresError) -> LibPQConnection {
        // With expand_dbname=1 the first "dbname" is expanded as a URI/conninfo and later
        // keywords override what it contains (libpq manual, PQconnectdbParams).
        var pairs: [(String, String)] = [
            ("dbname", configuration.url),
            ("connect_timeout", String(configuration.connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
        ]
        if let name = configuration.applicationName { pairs.append(("application_name", name)) }
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer { (keywords + values).forEach { free($0) } }
        let rawHandle = (keywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { keys in
            (values.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { vals in
                PQconnectdbParams(keys.baseAddress, vals.baseAddress, 1)
            }
        }
        guard let rawHandle else {
            throw PostgresError(kind: .connection, reason: "libpq could not allocate a connection", sqlState: .sqlClientUnableToEstablishConnection)
        }
        let connection = LibPQConnection(handle: rawHandle, logger: logger)
        guard PQstatus(rawHandle) == CONNECTION_OK else {
            let message = connection.libpqMessage
            logger.error("postgres connect failed", metadata: ["postgres.message": "\(message)"])
            let timedOut = message.contains("timeout expired")
            throw PostgresError(
                kind: timedOut ? .timeout : .connection,
                reason: timedOut ? "connect timed out" : "could not connect to the database",
                sqlState: .sqlClientUnableToEstablishConnection
            )
        }
        // Notices (e.g. "relation already exists, skipping") would go to stderr by default.
        PQsetNoticeProcessor(rawHandle, { _, _ in }, nil)
        try connection.configureSession(configuration)
        return connection
    }

    /// Session settings the decoders rely on (ISO dates in UTC) plus the statement timeout.
    func configureSession(_ configuration: PostgresConfiguration) throws(PostgresError) {
        var sql = "SET DateStyle = 'ISO, MDY'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres';"
        if let milliseconds = configuration.statementTimeoutMilliseconds {
            sql += " SET statement_timeout = \(milliseconds);"
        }
        if let milliseconds = configuration.idleInTransactionTimeoutMilliseconds {
            sql += " SET idle_in_transaction_session_timeout = \(milliseconds);"
        }
        _ = try executeScript(sql)
    }

    var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    var transactionStatus: PGTransactionStatusType { PQtransactionStatus(handle) }

    /// Notices a peer-closed socket without a round trip. A restarted server first sends
    /// FATAL 57P01 and then closes, so one read may only buffer the message and the second
    /// sees end-of-file; libpq then marks the connection bad.
    func looksAlive() -> Bool {
        for _ in 0..<2 {
            guard isConnected, PQconsumeInput(handle) == 1 else { return false }
        }
        return isConnected
    }

    /// Simple-query protocol: may contain several statements and has no parameters. Used
    /// for session setup, BEGIN/COMMIT and migration files only.
    func executeScript(_ sql: String) throws(PostgresError) -> PostgresRows {
        guard isConnected else { throw connectionLost() }
        return try consume(PQexec(handle, sql), sql: sql)
    }

    func execute(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        try query.bindings.validate()
        guard isConnected else { throw connectionLost() }
        if let name = query.preparedName {
            try prepareIfNeeded(name: name, query: query)
        }
        let result = withParameters(of: query) { count, oids, values, lengths, formats in
            if let name = query.preparedName {
                PQexecPrepared(handle, name, count, values, lengths, formats, 0)
            } else {
                PQexecParams(handle, query.sql, count, oids, values, lengths, formats, 0)
            }
        }
        return try consume(result, sql: query.sql)
    }

    /// `execute` with every column of the answer in binary form, handed to `body` (see
    /// `withBinaryRows(_:sql:_:)`).
    func executeBinary<T>(_ query: PostgresQuery, _ body: (PostgresBinaryRows) throws -> T) throws -> T {
        try query.bindings.validate()
        guard isConnected else { throw connectionLost() }
        if let name = query.preparedName {
            try prepareIfNeeded(name: name, query: query)
        }
        let result = withParameters(of: query) { count, oids, values, lengths, formats in
            if let name = query.preparedName {
                PQexecPrepared(handle, name, count, values, lengths, formats, Self.binaryFormat)
            } else {
                PQexecParams(handle, query.sql, count, oids, values, lengths, formats, Self.binaryFormat)
            }
        }
        return try withBinaryRows(result, sql: query.sql, body)
    }

    /// libpq's `resultFormat` for every column in binary.
    private static let binaryFormat: Int32 = 1

    /// Queues `query` on a connection in pipeline mode (see `pipeline`); false when libpq
    /// could not (the connection failed).
    func send(_ query: PostgresQuery) -> Bool {
        withParameters(of: query) { count, oids, values, lengths, formats in
            if let name = query.preparedName {
                PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) == 1
            } else {
                PQsendQueryParams(handle, query.sql, count, oids, values, lengths, formats, 0) == 1
            }
        }
    }

    /// Calls `body` with the arrays libpq takes for a query's parameters (`PostgresBindings`):
    /// pointers into the bindings' buffers, which do not outlive the call.
    private func withParameters<T>(
        of query: PostgresQuery,
        _ body: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T
    ) -> T {
        query.bindings.withParameters(body)
    }

    func prepareIfNeeded(name: String, query: PostgresQuery) throws(PostgresError) {
        if let existing = preparedStatements[name] {
            guard existing == query.sql else {
                throw .misuse("prepared statement name '\(name)' is already used for different SQL")
            }
            return
        }
        let types = query.bindings.slots.map { Oid($0.type.rawValue) }
        let result = types.withUnsafeBufferPointer { oids in
            PQprepare(handle, name, query.sql, Int32(types.count), oids.baseAddress)
        }
        _ = try consume(result, sql: query.sql)
        preparedStatements[name] = query.sql
        prepareCount += 1
    }

    /// libpq's own last message (client-side errors); for logs only.
    var libpqMessage: String {
        guard let message = PQerrorMessage(handle) else { return "" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func connectionLost() -> PostgresError {
        PostgresError(kind: .connection, reason: "the database connection was lost", sqlState: .connectionDoesNotExist)
    }
}
