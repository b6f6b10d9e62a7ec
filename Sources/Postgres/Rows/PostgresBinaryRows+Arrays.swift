import Foundation

/// One-dimensional array cells read in binary form (`array_send`), where libpq holds them: a
/// statement that aggregates a site's window into one row (`array_agg`) sends one row a site
/// instead of one a run, which spares the server a message per run and the client a row each.
///
/// The wire form: dimensions, a has-nulls flag and the element type (three big-endian int32s),
/// each dimension's length and lower bound, then each element as its length (-1 for NULL) and
/// bytes. A NULL cell (`array_agg` over no rows) reads as an empty array.
extension PostgresBinaryRows {
    /// A `uuid[]` cell's elements, in order (a NULL element is a decoding error).
    public func uuids(row: Int, column: Int) throws(PostgresError) -> [UUID] {
        var uuids: [UUID] = []
        try forEachElement(row: row, column: column, arrayType: .uuidArray, elementType: .uuid) { (index, cell) throws(PostgresError) in
            guard let cell, cell.count == 16 else { throw Self.elementError(columns.names[column], index, "a uuid of 16 bytes") }
            uuids.append(Self.uuid(cell))
        }
        return uuids
    }

    /// A `timestamptz[]` cell's elements, in order, as `date(row:column:)` reads one.
    public func dates(row: Int, column: Int) throws(PostgresError) -> [Date] {
        var dates: [Date] = []
        try forEachElement(row: row, column: column, arrayType: .timestamptzArray, elementType: .timestamptz) {
            (index, cell) throws(PostgresError) in
            guard let cell, cell.count == 8 else { throw Self.elementError(columns.names[column], index, "a timestamptz of 8 bytes") }
            dates.append(PostgresTimestamp.date(microsecondsSince2000: Self.bigEndian(cell, as: Int64.self)))
        }
        return dates
    }

    /// A `text[]` cell's elements handed to `body` one by one with their index, as stored
    /// (nil for NULL), for the call only.
    public func forEachText(
        row: Int, column: Int, _ body: (Int, UnsafeRawBufferPointer?) throws(PostgresError) -> Void
    ) throws(PostgresError) {
        try forEachElement(row: row, column: column, arrayType: .textArray, elementType: .text, body)
    }

    private func forEachElement(
        row: Int, column: Int, arrayType: PostgresDataType, elementType: PostgresDataType,
        _ body: (Int, UnsafeRawBufferPointer?) throws(PostgresError) -> Void
    ) throws(PostgresError) {
        let name = columns.names[column]
        guard let cell = try cell(row: row, column: column, type: arrayType) else { return }
        var reader = ArrayCellReader(bytes: cell)
        guard let dimensions = reader.int32(), let _ = reader.int32(), let type = reader.int32() else {
            throw .decoding(column: name, reason: "a binary array shorter than its header")
        }
        guard dimensions != 0 else { return }
        guard dimensions == 1, UInt32(bitPattern: type) == elementType.rawValue, let count = reader.int32(), count >= 0,
              reader.int32() != nil
        else { throw .decoding(column: name, reason: "not a one-dimensional array of \(elementType)") }
        for index in 0..<Int(count) {
            guard let length = reader.int32() else { throw Self.elementError(name, index, "its length") }
            if length == -1 {
                try body(index, nil)
                continue
            }
            guard length >= 0, let element = reader.take(Int(length)) else { throw Self.elementError(name, index, "its \(length) bytes") }
            try body(index, element)
        }
        guard reader.isAtEnd else { throw .decoding(column: name, reason: "bytes after the array's last element") }
    }

    private static func elementError(_ column: String, _ index: Int, _ wanted: String) -> PostgresError {
        .decoding(column: column, reason: "array element \(index): expected \(wanted)")
    }

    /// Big-endian, as every `send` function writes integers.
    static func bigEndian<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, as: T.Type) -> T {
        var value: T.Magnitude = 0
        for byte in bytes { value = value << 8 | T.Magnitude(byte) }
        return T(truncatingIfNeeded: value)
    }
}

/// A cursor over an array cell's bytes; nil past the end rather than a read outside them.
private struct ArrayCellReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func int32() -> Int32? {
        guard let field = take(4) else { return nil }
        return PostgresBinaryRows.bigEndian(field, as: Int32.self)
    }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count <= bytes.count - position else { return nil }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }
}
