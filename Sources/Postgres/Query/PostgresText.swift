/// A `text` value that is already UTF-8 bytes (a document the service stores and serves back
/// as it is), bound without a round trip through String. The server checks the encoding; a
/// NUL is refused before sending, as for every text value.
public struct PostgresText: Sendable, Hashable, PostgresEncodable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static var postgresType: PostgresDataType { .text }
    public func postgresText() -> String { String(decoding: bytes, as: UTF8.self) }

    public func encodePostgres(into buffer: inout [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: bytes)
    }
}

extension PostgresText: PostgresArrayElement {
    public static var postgresElementType: PostgresDataType { .text }
    public static var postgresArrayType: PostgresDataType { .textArray }
    public func appendBinary(to buffer: inout [UInt8]) throws(PostgresError) {
        try PostgresBinary.appendText(bytes, to: &buffer)
    }
}

extension PostgresText: PostgresDecodable {
    /// Any column's text output, as its bytes.
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        self.init(bytes: bytes)
    }
}
