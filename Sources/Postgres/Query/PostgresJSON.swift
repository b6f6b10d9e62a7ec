import Foundation

/// A `json` value carried as its UTF-8 JSON text: for documents stored and served back as they
/// are. The server only checks that the text is valid JSON and keeps it byte for byte (no
/// tree is built, keys keep their order, whitespace stays), unlike `jsonb` (`PostgresJSONB`),
/// which parses it and sends back its own rendering. The layer does not parse JSON itself.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static var postgresType: PostgresDataType { .json }
    public func postgresText() -> String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes as they are: no round trip through String.
    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: bytes)
    }
}

extension PostgresJSON: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .json }
    public static var postgresArrayType: PostgresDataType { .jsonArray }
    /// `json_recv`: the JSON text itself (no version byte, unlike jsonb), which the server
    /// validates and stores as received.
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        try PostgresBinary.appendText(bytes, to: &buffer)
    }
}

extension PostgresJSON: PostgresDecodable {
    /// A json, jsonb or text column's text output, as its bytes.
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .json || type == .jsonb || type == .text else {
            throw PostgresDecodingFailure("not a json, jsonb or text column")
        }
        self.init(bytes: bytes)
    }
}
