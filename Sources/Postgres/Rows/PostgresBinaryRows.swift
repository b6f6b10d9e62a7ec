import Foundation

/// The rows of one result asked for in binary form (`PostgresPool.queryBinary`), every cell
/// in one buffer: a statement that answers millions of small rows (a fleet preview reads a
/// window entry per run) costs a copy of its bytes, not an array per cell, and its uuids
/// and timestamps are read as the server stores them instead of parsed from text.
///
/// Read with the typed accessors below, each checking the column's type and the cell's
/// length; a cell is never loaded from a pointer into libpq's memory (it is copied first).
public struct PostgresBinaryRows: Sendable {
    public let columns: PostgresColumns
    /// Every non-NULL cell's bytes, row by row.
    let bytes: [UInt8]
    /// Per cell (row-major): its start in `bytes`, and its length (-1 for NULL).
    let starts: [Int]
    let lengths: [Int32]

    init(columns: PostgresColumns, bytes: [UInt8], starts: [Int], lengths: [Int32]) {
        self.columns = columns
        self.bytes = bytes
        self.starts = starts
        self.lengths = lengths
    }

    public var count: Int { columns.count == 0 ? 0 : lengths.count / columns.count }

    public func isNull(row: Int, column: Int) -> Bool { lengths[row * columns.count + column] < 0 }

    /// A `uuid` cell (`uuid_send`: its 16 bytes).
    public func uuid(row: Int, column: Int) throws(PostgresError) -> UUID {
        let start = try cell(row: row, column: column, type: .uuid, length: 16)
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { target in
            for index in 0..<16 { target[index] = bytes[start + index] }
        }
        return UUID(uuid: uuid)
    }

    /// A `timestamptz` cell (`timestamptz_send`: microseconds since 2000-01-01 UTC), as the
    /// same `Date` its text form decodes to (`PostgresTimestamp.date(microsecondsSince2000:)`).
    public func date(row: Int, column: Int) throws(PostgresError) -> Date {
        let start = try cell(row: row, column: column, type: .timestamptz, length: 8)
        return PostgresTimestamp.date(microsecondsSince2000: int64(at: start))
    }

    /// An `int8` cell.
    public func int(row: Int, column: Int) throws(PostgresError) -> Int {
        Int(int64(at: try cell(row: row, column: column, type: .int8, length: 8)))
    }

    /// A `text` cell's bytes as stored (`textsend` sends them unchanged): handed to `body`
    /// for the call only; nil for NULL.
    public func withText<Result>(
        row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        guard columns.types[column] == .text else {
            throw PostgresError.decoding(column: columns.names[column], reason: "a binary \(columns.types[column]) cell is not text")
        }
        let index = row * columns.count + column
        let length = Int(lengths[index])
        guard length >= 0 else { return try body(nil) }
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[starts[index]..<starts[index] + length]))
        }
    }

    private func cell(row: Int, column: Int, type: PostgresDataType, length: Int32) throws(PostgresError) -> Int {
        let index = row * columns.count + column
        guard columns.types[column] == type else {
            throw PostgresError.decoding(column: columns.names[column], reason: "a binary \(columns.types[column]) cell read as \(type)")
        }
        guard lengths[index] == length else {
            throw PostgresError.decoding(
                column: columns.names[column], reason: lengths[index] < 0 ? "unexpected NULL" : "a binary \(type) of another length")
        }
        return starts[index]
    }

    private func int64(at start: Int) -> Int64 {
        var value: UInt64 = 0
        for offset in 0..<8 { value = value << 8 | UInt64(bytes[start + offset]) }
        return Int64(bitPattern: value)
    }
}
