import Foundation

/// A `jsonb` value carried as its UTF-8 JSON text.
///
/// The layer does not parse JSON: callers encode/decode with the coder they already use
/// (`JSONEncoder`, or bytes they received). jsonb normalises whitespace and key order, so
/// the bytes read back are equivalent, not identical, to the bytes written.
public struct PostgresJSONB: Sendable, Hashable, PostgresEncodable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(data: Data) { self.bytes = Array(data) }
    public init(string: String) { self.bytes = Array(string.utf8) }

    /// Encodes `value` with `encoder` (a fresh `JSONEncoder` unless given).
    public init(encoding value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        self.bytes = Array(try encoder.encode(value))
    }

    public var data: Data { Data(bytes) }
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public func decode<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: data)
    }

    public static var postgresType: PostgresDataType { .jsonb }
    public func postgresText() -> String { string }

    /// The bytes as they are: no round trip through String.
    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: bytes)
    }
}

extension PostgresJSONB: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .jsonb }
    public static var postgresArrayType: PostgresDataType { .jsonbArray }
    /// `jsonb_recv`: a format version byte (1) and the JSON text, which the server parses.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(1)
        try PostgresBinary.appendText(bytes, to: &buffer)
    }
}
