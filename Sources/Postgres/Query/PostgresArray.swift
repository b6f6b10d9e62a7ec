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
    /// Every element as a big-endian Int32 length (-1 for NULL) and its bytes.
    @usableFromInline var elements: [UInt8] = []
    @usableFromInline var elementCount = 0
    @usableFromInline var hasNull = false
    /// The first element that cannot be sent (NUL in text); reported when the query runs.
    @usableFromInline var failure: PostgresError?

    public init(reservingBytes capacity: Int = 0) {
        elements.reserveCapacity(capacity)
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

    @inlinable
    public mutating func append(_ value: Element?) {
        elementCount += 1
        guard let value else {
            hasNull = true
            PostgresBinary.appendInt32(-1, to: &elements)
            return
        }
        let lengthAt = elements.count
        PostgresBinary.appendInt32(0, to: &elements)
        do {
            try value.appendBinary(to: &elements)
        } catch {
            record(error)
        }
        PostgresBinary.storeInt32(Int32(clamping: elements.count - lengthAt - 4), at: lengthAt, in: &elements)
    }

    @usableFromInline
    mutating func record(_ error: PostgresError) {
        if failure == nil { failure = .encoding("array element \(count): \(error.reason)") }
    }

    public static var postgresType: PostgresDataType { Element.postgresArrayType }
    public static var postgresFormat: PostgresFormat { .binary }

    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        if let failure { throw failure }
        // No reserveCapacity here: asking for exactly the next size on every parameter of a
        // statement would reallocate (and copy) the whole buffer each time instead of doubling.
        // Dimensions (none for an empty array), the has-null flag, the element type; then
        // each dimension's length and lower bound (1, as in SQL).
        PostgresBinary.appendInt32(count == 0 ? 0 : 1, to: &buffer)
        PostgresBinary.appendInt32(hasNull ? 1 : 0, to: &buffer)
        PostgresBinary.appendInt32(Int32(bitPattern: Element.postgresElementType.rawValue), to: &buffer)
        if count > 0 {
            PostgresBinary.appendInt32(Int32(clamping: count), to: &buffer)
            PostgresBinary.appendInt32(1, to: &buffer)
        }
        buffer.append(contentsOf: elements)
    }
}

extension PostgresArray where Element == PostgresText {
    /// One element: `texts` as a `text[]` literal, spelled as `[String].postgresText()` spells
    /// it (each text double-quoted, `"` and `\` escaped: ASCII, so byte by byte is scalar by
    /// scalar in UTF-8), written straight into the array instead of through a String per text.
    public mutating func appendTextArrayLiteral(_ texts: [String]) {
        elementCount += 1
        let lengthAt = elements.count
        PostgresBinary.appendInt32(0, to: &elements)
        elements.append(UInt8(ascii: "{"))
        for index in texts.indices {
            if index > texts.startIndex { elements.append(UInt8(ascii: ",")) }
            elements.append(UInt8(ascii: "\""))
            for byte in texts[index].utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { elements.append(UInt8(ascii: "\\")) }
                elements.append(byte)
            }
            elements.append(UInt8(ascii: "\""))
        }
        elements.append(UInt8(ascii: "}"))
        if PostgresBindings.containsNUL(elements, from: lengthAt + 4, count: elements.count - lengthAt - 4) {
            elements.removeSubrange((lengthAt + 4)...)
            record(.encoding("contains a NUL byte, which PostgreSQL text cannot store"))
        }
        PostgresBinary.storeInt32(Int32(clamping: elements.count - lengthAt - 4), at: lengthAt, in: &elements)
    }
}

/// A type that can be an element of a ``PostgresArray``: its OIDs and its binary form.
public protocol PostgresArrayElement: Sendable {
    static var postgresElementType: PostgresDataType { get }
    static var postgresArrayType: PostgresDataType { get }
    /// Appends what the type's `recv` function reads; `.encoding` for a value that cannot be sent.
    func appendBinary(to buffer: inout [UInt8]) throws(PostgresError)
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
            throw .encoding("contains a NUL byte, which PostgreSQL text cannot store")
        }
    }
}

extension UUID: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .uuid }
    public static var postgresArrayType: PostgresDataType { .uuidArray }
    /// `uuid_recv`: the 16 bytes in RFC 9562 order.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        withUnsafeBytes(of: uuid) { raw in raw.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) } }
    }
}

extension Date: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .timestamptz }
    public static var postgresArrayType: PostgresDataType { .timestamptzArray }
    /// `timestamptz_recv`: microseconds since 2000-01-01 00:00 UTC, rounded as the text form is.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt64(PostgresTimestamp.microsecondsSince2000(self), to: &buffer)
    }
}

extension Int32: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .int4 }
    public static var postgresArrayType: PostgresDataType { .int4Array }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt32(self, to: &buffer)
    }
}

extension Int: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .int8 }
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        PostgresBinary.appendInt64(Int64(self), to: &buffer)
    }
}

extension Double: PostgresArrayElement {
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
