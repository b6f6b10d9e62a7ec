import Foundation

/// A one-dimensional array bound as one parameter in PostgreSQL's binary array format
/// (`array_recv`), for statements that take many rows at once:
///
/// ```swift
/// var ids = PostgresArray<UUID>(), bodies = PostgresArray<PostgresJSONB>()
/// for row in rows { ids.append(row.id); bodies.append(row.body) }
/// "INSERT INTO t (id, body) SELECT * FROM unnest(\(ids), \(bodies))"
/// ```
///
/// Each element is appended once, as its type's binary form, behind its length: documents go
/// in as the bytes they are (no quoting as in a text array literal, no escaping as inside a
/// JSON recordset), and the server reads every element with the element type's `recv`
/// function, which checks it as the text input would (`jsonb` is parsed, `text` must be valid
/// UTF-8). The layout is the one `array_send` writes (PostgreSQL source, arrayfuncs.c).
public struct PostgresArray<Element: PostgresArrayElement>: PostgresBindable {
    // Internal rather than private, for `append` to be inlined into (and specialised for its
    // element type in) the app's modules: unspecialised, each element cost a generic call
    // through witness tables and metadata lookups, for a dozen columns per site per group.
    /// The parameter's bytes as `array_recv` reads them, kept whole while elements are
    /// appended: the header of a one-dimensional array (its has-null flag and element count
    /// updated on every append), then every element as a big-endian Int32 length (-1 for NULL)
    /// and its bytes. Bound as they are (`encodedPostgresBuffer`): a group statement's bodies
    /// are copied once on this side, into a buffer sized up front, then once by libpq.
    @usableFromInline var bytes: [UInt8]
    @usableFromInline var elementCount = 0
    /// The first element that cannot be sent (NUL in text); reported when the query runs.
    @usableFromInline var failure: PostgresError?

    /// Dimensions, has-null flag, element type, then the one dimension's length and lower bound.
    @usableFromInline static var headerLength: Int { 20 }
    @usableFromInline static var hasNullOffset: Int { 4 }
    @usableFromInline static var countOffset: Int { 12 }

    /// `capacity`: the elements' bytes, each with its 4-byte length; the header is added.
    /// Sized right, the array's buffer is allocated once.
    public init(reservingBytes capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(Self.headerLength + capacity)
        PostgresBinary.appendInt32(1, to: &bytes)
        PostgresBinary.appendInt32(0, to: &bytes)
        PostgresBinary.appendInt32(Int32(bitPattern: Element.postgresElementType.rawValue), to: &bytes)
        PostgresBinary.appendInt32(0, to: &bytes)
        PostgresBinary.appendInt32(1, to: &bytes)  // lower bound, as in SQL
    }

    /// Room for `count` elements of a fixed binary length (`postgresBinaryLength`) and
    /// `variableBytes` more for the others' values.
    public init(reservingElements count: Int, variableBytes: Int = 0) {
        self.init(reservingBytes: count * (4 + (Element.postgresBinaryLength ?? 0)) + variableBytes)
    }

    public init(_ values: some Sequence<Element?>) {
        self.init()
        for value in values { append(value) }
    }

    public init(_ values: some Sequence<Element>) {
        self.init()
        for value in values { append(value) }
    }

    public var count: Int { elementCount }
    var hasNull: Bool { bytes[Self.hasNullOffset + 3] != 0 }

    @inlinable
    public mutating func append(_ value: Element?) {
        countElement()
        guard let value else {
            bytes[Self.hasNullOffset + 3] = 1
            PostgresBinary.appendInt32(-1, to: &bytes)
            return
        }
        let lengthAt = bytes.count
        PostgresBinary.appendInt32(0, to: &bytes)
        do {
            try value.appendBinary(to: &bytes)
        } catch {
            record(error)
        }
        PostgresBinary.storeInt32(Int32(clamping: bytes.count - lengthAt - 4), at: lengthAt, in: &bytes)
    }

    @inlinable
    mutating func countElement() {
        elementCount += 1
        PostgresBinary.storeInt32(Int32(clamping: elementCount), at: Self.countOffset, in: &bytes)
    }

    @usableFromInline
    mutating func record(_ error: PostgresError) {
        if failure == nil { failure = .encoding("array element \(count): \(error.reason)") }
    }

    public static var postgresType: PostgresDataType { Element.postgresArrayType }
    public static var postgresFormat: PostgresFormat { .binary }

    /// The whole buffer, header included, shared rather than copied; an empty array (no
    /// dimensions) is encoded instead.
    public func encodedPostgresBuffer() throws(PostgresError) -> [UInt8]? {
        if let failure { throw failure }
        return elementCount > 0 ? bytes : nil
    }

    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        if let failure { throw failure }
        guard elementCount > 0 else {
            // No dimensions: no lengths and lower bounds follow the element type.
            PostgresBinary.appendInt32(0, to: &buffer)
            PostgresBinary.appendInt32(0, to: &buffer)
            PostgresBinary.appendInt32(Int32(bitPattern: Element.postgresElementType.rawValue), to: &buffer)
            return
        }
        buffer.append(contentsOf: bytes)
    }
}

extension PostgresArray where Element == PostgresText {
    /// One element: `texts` as a `text[]` literal, spelled as `[String].postgresText()` spells
    /// it (each text double-quoted, `"` and `\` escaped: ASCII, so byte by byte is scalar by
    /// scalar in UTF-8), written straight into the array instead of through a String per text.
    public mutating func appendTextArrayLiteral(_ texts: [String]) {
        countElement()
        let lengthAt = bytes.count
        PostgresBinary.appendInt32(0, to: &bytes)
        bytes.append(UInt8(ascii: "{"))
        for index in texts.indices {
            if index > texts.startIndex { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in texts[index].utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        if PostgresBindings.containsNUL(bytes, from: lengthAt + 4, count: bytes.count - lengthAt - 4) {
            bytes.removeSubrange((lengthAt + 4)...)
            record(.nulInText("contains a NUL byte, which PostgreSQL text cannot store"))
        }
        PostgresBinary.storeInt32(Int32(clamping: bytes.count - lengthAt - 4), at: lengthAt, in: &bytes)
    }
}

/// A type that can be an element of a ``PostgresArray``: its OIDs and its binary form.
public protocol PostgresArrayElement: Sendable {
    static var postgresElementType: PostgresDataType { get }
    static var postgresArrayType: PostgresDataType { get }
    /// Appends what the type's `recv` function reads; `.encoding` for a value that cannot be sent.
    func appendBinary(to buffer: inout [UInt8]) throws(PostgresError)
    /// The length of every value's binary form when it is fixed (a UUID's 16 bytes), for
    /// sizing an array's buffer up front; nil for variable-length types.
    static var postgresBinaryLength: Int? { get }
}

extension PostgresArrayElement {
    public static var postgresBinaryLength: Int? { nil }
}

/// Big-endian integers, as the protocol and every `send` function write them.
@usableFromInline
enum PostgresBinary {
    // Byte by byte: `append(contentsOf:)` costs over 100 instructions a call whatever the
    // length (measured under callgrind), `append(_:)` a few; arrays bind several per element.
    @inlinable
    static func appendInt32(_ value: Int32, to buffer: inout [UInt8]) {
        let bits = UInt32(bitPattern: value)
        buffer.append(UInt8(truncatingIfNeeded: bits >> 24))
        buffer.append(UInt8(truncatingIfNeeded: bits >> 16))
        buffer.append(UInt8(truncatingIfNeeded: bits >> 8))
        buffer.append(UInt8(truncatingIfNeeded: bits))
    }

    @inlinable
    static func appendInt64(_ value: Int64, to buffer: inout [UInt8]) {
        appendInt32(Int32(truncatingIfNeeded: value >> 32), to: &buffer)
        appendInt32(Int32(truncatingIfNeeded: value), to: &buffer)
    }

    @inlinable
    static func storeInt32(_ value: Int32, at offset: Int, in buffer: inout [UInt8]) {
        let bits = UInt32(bitPattern: value)
        buffer[offset] = UInt8(truncatingIfNeeded: bits >> 24)
        buffer[offset + 1] = UInt8(truncatingIfNeeded: bits >> 16)
        buffer[offset + 2] = UInt8(truncatingIfNeeded: bits >> 8)
        buffer[offset + 3] = UInt8(truncatingIfNeeded: bits)
    }

    /// Text elements must not hold U+0000 (PostgreSQL text cannot store it).
    static func appendText(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) throws(PostgresError) {
        let start = buffer.count
        buffer.append(contentsOf: bytes)
        if PostgresBindings.containsNUL(buffer, from: start, count: buffer.count - start) {
            buffer.removeSubrange(start...)
            throw .nulInText("contains a NUL byte, which PostgreSQL text cannot store")
        }
    }
}

extension UUID: PostgresArrayElement {
    public static var postgresBinaryLength: Int? { 16 }
    public static var postgresElementType: PostgresDataType { .uuid }
    public static var postgresArrayType: PostgresDataType { .uuidArray }
    /// `uuid_recv`: the 16 bytes in RFC 9562 order.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        withUnsafeBytes(of: uuid) { raw in raw.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) } }
    }
}

extension Date: PostgresArrayElement {
    public static var postgresBinaryLength: Int? { 8 }
    public static var postgresElementType: PostgresDataType { .timestamptz }
    public static var postgresArrayType: PostgresDataType { .timestamptzArray }
    /// `timestamptz_recv`: microseconds since 2000-01-01 00:00 UTC, rounded as the text form is.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt64(PostgresTimestamp.microsecondsSince2000(self), to: &buffer)
    }
}

extension Int32: PostgresArrayElement {
    public static var postgresBinaryLength: Int? { 4 }
    public static var postgresElementType: PostgresDataType { .int4 }
    public static var postgresArrayType: PostgresDataType { .int4Array }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt32(self, to: &buffer)
    }
}

extension Int: PostgresArrayElement {
    public static var postgresBinaryLength: Int? { 8 }
    public static var postgresElementType: PostgresDataType { .int8 }
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt64(Int64(self), to: &buffer)
    }
}

extension Double: PostgresArrayElement {
    public static var postgresBinaryLength: Int? { 8 }
    public static var postgresElementType: PostgresDataType { .float8 }
    public static var postgresArrayType: PostgresDataType { .float8Array }
    /// `float8recv`: the IEEE 754 bits, so NaN and the infinities travel as they are.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt64(Int64(bitPattern: bitPattern), to: &buffer)
    }
}

extension String: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .text }
    public static var postgresArrayType: PostgresDataType { .textArray }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        try PostgresBinary.appendText(utf8, to: &buffer)
    }
}

extension Data: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .bytea }
    public static var postgresArrayType: PostgresDataType { .byteaArray }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: self)
    }
}

/// Bytes as `bytea`: for digests held as `[UInt8]`, without a `Data` (a heap object each) per element.
extension Array: PostgresArrayElement where Element == UInt8 {
    public static var postgresElementType: PostgresDataType { .bytea }
    public static var postgresArrayType: PostgresDataType { .byteaArray }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: self)
    }
}
