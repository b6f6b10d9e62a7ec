/// The rows of one result, copied out of libpq's `PGresult` before it was freed.
///
/// Holding only Swift arrays makes rows `Sendable` and lets them outlive the connection;
/// no pointer into libpq memory survives the call that produced them.
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: PostgresColumns
    let cells: [[[UInt8]?]]
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE/SELECT (PQcmdTuples), when reported.
    public let affectedRows: Int?

    init(columns: PostgresColumns, cells: [[[UInt8]?]], affectedRows: Int?) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
    }

    /// No columns and no rows: what a statement the server skipped answered.
    static let empty = PostgresRows(columns: PostgresColumns(names: [], types: []), cells: [], affectedRows: nil)

    public var startIndex: Int { cells.startIndex }
    public var endIndex: Int { cells.endIndex }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(columns: columns, cells: cells[position])
    }
}

/// Column names and types of a result, shared by all its rows.
public final class PostgresColumns: Sendable {
    public let names: [String]
    public let types: [PostgresDataType]
    private let indexByName: [String: Int]

    init(names: [String], types: [PostgresDataType]) {
        self.names = names
        self.types = types
        // The first column wins when a name repeats (SELECT a.id, b.id), as in libpq's PQfnumber.
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil {
            index[name] = position
        }
        self.indexByName = index
    }

    public var count: Int { names.count }

    public func index(of name: String) -> Int? { indexByName[name] }
}

/// One row. Decode its columns by name or position:
/// `try row.decode(String.self, column: "name")`, `try row.decode(Int?.self, at: 0)`.
public struct PostgresRow: Sendable {
    public let columns: PostgresColumns
    let cells: [[UInt8]?]

    public func decode<T: PostgresDecodable>(_ type: T.Type, column name: String) throws(PostgresError) -> T {
        guard let index = columns.index(of: name) else {
            throw PostgresError.decoding(column: name, reason: "the result has no column with this name")
        }
        return try decode(type, at: index)
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(PostgresError) -> T {
        guard cells.indices.contains(index) else {
            throw PostgresError.decoding(column: "#\(index)", reason: "column index out of range (\(cells.count) columns)")
        }
        let name = columns.names[index]
        do {
            return try T.decode(cells[index], type: columns.types[index])
        } catch let failure {
            throw PostgresError.decoding(
                column: name, reason: "cannot decode \(columns.types[index]) as \(T.self): \(failure.reason)"
            )
        }
    }

    /// True when the column is SQL NULL.
    public func isNull(column name: String) -> Bool {
        guard let index = columns.index(of: name) else { return false }
        return cells[index] == nil
    }
}
