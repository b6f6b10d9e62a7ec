import CLibPQ
import Foundation

/// The rows of one result asked for in binary form (`PostgresConnection.withBinaryRows`),
/// read where libpq keeps them: a statement that answers millions of small rows (a fleet
/// preview reads a window entry per run) costs no copy and no array per cell, and its uuids
/// and timestamps are read as the server stores them instead of parsed from text.
///
/// Valid only during the call it is handed to (the result is cleared after it): not
/// `Sendable`, and every accessor checks the lease first, so a copy kept past the call throws
/// instead of reading freed memory. Each accessor checks the column's type and the cell's
/// length; values are assembled byte by byte, never loaded through a typed pointer into
/// libpq's buffer.
public struct PostgresBinaryRows {
    /// Whether the result is still held.
    final class Lease {
        var isValid = true
    }

    private let result: OpaquePointer
    public let columns: PostgresColumns
    public let count: Int
    private let lease: Lease

    init(result: OpaquePointer, columns: PostgresColumns, lease: Lease) {
        self.result = result
        self.columns = columns
        self.count = Int(PQntuples(result))
        self.lease = lease
    }

    public func isNull(row: Int, column: Int) throws(PostgresError) -> Bool {
        try checkPlace(row: row, column: column)
        return PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    /// A `uuid` cell (`uuid_send`: its 16 bytes).
    public func uuid(row: Int, column: Int) throws(PostgresError) -> UUID {
        Self.uuid(try bytes(row: row, column: column, type: .uuid, length: 16))
    }

    /// `uuid_send`'s 16 bytes (the caller checked the length) as a `UUID`.
    static func uuid(_ cell: UnsafeRawBufferPointer) -> UUID {
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { target in target.copyMemory(from: cell) }
        return UUID(uuid: uuid)
    }

    /// A `timestamptz` cell (`timestamptz_send`: microseconds since 2000-01-01 UTC), as the
    /// same `Date` its text form decodes to (`PostgresTimestamp.date(microsecondsSince2000:)`).
    public func date(row: Int, column: Int) throws(PostgresError) -> Date {
        PostgresTimestamp.date(microsecondsSince2000: Self.int64(try bytes(row: row, column: column, type: .timestamptz, length: 8)))
    }

    /// An `int8` cell.
    public func int(row: Int, column: Int) throws(PostgresError) -> Int {
        Int(Self.int64(try bytes(row: row, column: column, type: .int8, length: 8)))
    }

    /// A `text` cell's bytes as stored (`textsend` sends them unchanged), handed to `body`
    /// for the call only; nil for NULL.
    public func withText<Result>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) throws -> Result {
        try body(try cell(row: row, column: column, type: .text))
    }

    /// A cell of `type` as its bytes, nil for NULL.
    func cell(row: Int, column: Int, type: PostgresDataType) throws(PostgresError) -> UnsafeRawBufferPointer? {
        try checkPlace(row: row, column: column)
        guard columns.types[column] == type else {
            throw .decoding(column: columns.names[column], reason: "a binary \(columns.types[column]) cell read as \(type)")
        }
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0, let start = PQgetvalue(result, Int32(row), Int32(column)) else {
            return nil
        }
        return UnsafeRawBufferPointer(start: start, count: Int(PQgetlength(result, Int32(row), Int32(column))))
    }

    private func checkPlace(row: Int, column: Int) throws(PostgresError) {
        guard lease.isValid else { throw .misuse("binary rows read after the call they were handed to") }
        guard row >= 0, row < count, column >= 0, column < columns.count else {
            throw .decoding(column: "#\(column)", reason: "row \(row) or column out of range")
        }
    }

    private func bytes(row: Int, column: Int, type: PostgresDataType, length: Int) throws(PostgresError) -> UnsafeRawBufferPointer {
        guard let cell = try cell(row: row, column: column, type: type) else {
            throw .decoding(column: columns.names[column], reason: "unexpected NULL")
        }
        guard cell.count == length else {
            throw .decoding(column: columns.names[column], reason: "a binary \(type) of another length")
        }
        return cell
    }

    private static func int64(_ bytes: UnsafeRawBufferPointer) -> Int64 { bigEndian(bytes, as: Int64.self) }
}
