import Foundation

/// Anything that can be bound as a `$n` parameter: its type OID, its wire format and its bytes.
///
/// Most values are ``PostgresEncodable`` (text format). A few are sent in PostgreSQL's binary
/// format where that saves both sides work: `bytea` as the raw bytes instead of hex, and whole
/// arrays of rows (``PostgresArray``) that a statement expands with `unnest`.
public protocol PostgresBindable: Sendable {
    static var postgresType: PostgresDataType { get }
    static var postgresFormat: PostgresFormat { get }
    /// Appends the value's bytes: its text input (UTF-8, no terminator) in text format, or
    /// what the type's `recv` function reads in binary format. Throws `.encoding` for a value
    /// that cannot be sent; the query then fails before anything is sent.
    func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError)
    /// The value's whole encoding when it already holds it in a buffer of its own (a built
    /// ``PostgresArray``): bound by sharing that buffer instead of copying it into the
    /// bindings' one. nil (the default) encodes with `encodePostgres`.
    func encodedPostgresBuffer() throws(PostgresError) -> [UInt8]?
}

extension PostgresBindable {
    public func encodedPostgresBuffer() throws(PostgresError) -> [UInt8]? { nil }
}

/// A Swift value bound as a query parameter in PostgreSQL's text format.
///
/// Text format keeps most of the code free of binary layouts; the explicit `postgresType`
/// still tells the server exactly what it receives.
public protocol PostgresEncodable: PostgresBindable {
    /// The value as PostgreSQL's text input for `postgresType` expects it.
    func postgresText() -> String
}

extension PostgresEncodable {
    public static var postgresFormat: PostgresFormat { .text }

    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: postgresText().utf8)
    }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresDataType { .text }
    public func postgresText() -> String { self }

    /// The UTF-8 bytes as they are, without an intermediate String.
    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: utf8)
    }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresDataType { .text }
    public func postgresText() -> String { String(self) }

    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: utf8)
    }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public func postgresText() -> String { String(self) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public func postgresText() -> String { String(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int4 }
    public func postgresText() -> String { String(self) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int2 }
    public func postgresText() -> String { String(self) }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresDataType { .float8 }
    public func postgresText() -> String {
        // Swift spells these "inf"/"nan"; float8in documents "Infinity" and "NaN".
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description  // shortest representation that round-trips
    }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bool }
    public func postgresText() -> String { self ? "true" : "false" }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresDataType { .uuid }
    public func postgresText() -> String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresDataType { .timestamptz }
    public func postgresText() -> String { PostgresTimestamp.format(self) }
}

extension Data: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bytea }
    /// bytea hex format (PostgreSQL manual, 8.4.1): `\x` followed by two hex digits per byte.
    public func postgresText() -> String { PostgresHex.encode(self) }

    /// Bound in binary format: `bytearecv` takes the bytes as they are, half the size of hex
    /// and with no encoding on either side.
    public static var postgresFormat: PostgresFormat { .binary }

    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: self)
    }
}

extension Array: PostgresBindable where Element == String {}

extension Array: PostgresEncodable where Element == String {
    public static var postgresType: PostgresDataType { .textArray }
    /// Array literal (manual, 8.15.6): every element double-quoted, `"` and `\` escaped, so
    /// commas, braces, spaces and the word NULL inside elements stay data.
    public func postgresText() -> String {
        let elements = map { element -> String in
            var escaped = "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { escaped.unicodeScalars.append("\\") }
                escaped.unicodeScalars.append(scalar)
            }
            return escaped + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}

enum PostgresHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"),
              text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
