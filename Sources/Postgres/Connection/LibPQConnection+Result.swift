import CLibPQ
import Logging

extension LibPQConnection {
    /// Turns a `PGresult` into rows or an error, copying everything needed and clearing
    /// the result before returning: no libpq pointer escapes this function.
    func consume(_ result: OpaquePointer?, sql: String) throws(PostgresError) -> PostgresRows {
        let result = try checked(result, sql: sql)
        defer { PQclear(result) }
        return Self.copyRows(result)
    }

    /// Hands a result asked for in binary form to `body` as `PostgresBinaryRows`, valid for
    /// the call only: its cells are read where libpq keeps them, and the result is cleared
    /// when `body` returns or throws.
    func withBinaryRows<T>(_ result: OpaquePointer?, sql: String, _ body: (PostgresBinaryRows) throws -> T) throws -> T {
        let result = try checked(result, sql: sql)
        let lease = PostgresBinaryRows.Lease()
        defer {
            lease.isValid = false
            PQclear(result)
        }
        return try body(PostgresBinaryRows(result: result, columns: Self.columns(of: result), lease: lease))
    }

    /// The result when the statement succeeded; else it is cleared and its error thrown.
    private func checked(_ result: OpaquePointer?, sql: String) throws(PostgresError) -> OpaquePointer {
        guard let result else {
            // NULL means out of memory or the connection could not send the command.
            logger.error("postgres command not sent", metadata: ["postgres.message": "\(libpqMessage)"])
            throw connectionLost()
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY else {
            let failure = error(from: result, sql: sql)
            PQclear(result)
            throw failure
        }
        return result
    }

    static func columns(of result: OpaquePointer) -> PostgresColumns {
        var names: [String] = []
        var types: [PostgresDataType] = []
        for column in 0..<PQnfields(result) {
            names.append(PQfname(result, column).map { String(cString: $0) } ?? "?column?")
            types.append(PostgresDataType(rawValue: PQftype(result, column)))
        }
        return PostgresColumns(names: names, types: types)
    }

    private static func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var cells: [[[UInt8]?]] = []
        cells.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [[UInt8]?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else if let start = PQgetvalue(result, row, column) {
                    // Copy bytes, never load typed values from libpq's buffer.
                    let length = Int(PQgetlength(result, row, column))
                    values.append(Array(UnsafeRawBufferPointer(start: start, count: length)))
                } else {
                    values.append(nil)
                }
            }
            cells.append(values)
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) }
        return PostgresRows(columns: columns(of: result), cells: cells, affectedRows: affected)
    }

    /// Builds the error from diagnostic fields; the server's message goes to the log only.
    private func error(from result: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: value)
        }
        var sqlState = field("C").map(SQLState.init(rawValue:))
        let connectionDied = !isConnected
        if connectionDied && sqlState == nil { sqlState = .connectionFailure }
        let kind: PostgresError.Kind
        if connectionDied || (sqlState?.meansConnectionLost ?? false) {
            kind = .connection
        } else if sqlState == .queryCanceled {
            kind = .timeout  // this layer only cancels through statement_timeout
        } else {
            kind = .server
        }
        let constraint = field("n")
        // Integrity and retryable failures are normal outcomes callers handle: debug level.
        // The message can quote values (never the DETAIL, which repeats key values): still
        // log-only. SQL text is safe: values travel as parameters.
        let expected = sqlState?.errorClass == "23" || (sqlState?.meansTransactionShouldRetry ?? false)
        logger.log(
            level: expected ? .debug : .error,
            "postgres statement failed",
            metadata: [
                "postgres.sqlstate": "\(sqlState?.rawValue ?? "none")",
                "postgres.message": "\(field("M") ?? libpqMessage)",
                "postgres.constraint": "\(constraint ?? "")",
                "postgres.sql": "\(sql.prefix(200))",
            ]
        )
        let reason = switch kind {
        case .connection: "the database connection was lost"
        case .timeout: "the statement was canceled (statement timeout)"
        default: "the database rejected the statement"
        }
        return PostgresError(
            kind: kind, reason: reason, sqlState: sqlState,
            constraintName: constraint, tableName: field("t"), columnName: field("c")
        )
    }
}
