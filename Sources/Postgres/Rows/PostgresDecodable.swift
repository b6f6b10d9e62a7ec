import Foundation

/// Why a cell could not be decoded; wrapped into a `PostgresError` naming the column.
/// The reason never quotes the value (it may be a token or a result body).
public struct PostgresDecodingFailure: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A Swift type that can be read from a result column in text format.
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL cell (the exact bytes of the server's text output).
    init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure)

    /// Decodes a cell that may be NULL. The default refuses NULL; `Optional` maps it to nil.
    static func decode(_ bytes: [UInt8]?, type: PostgresDataType) throws(PostgresDecodingFailure) -> Self
}

extension PostgresDecodable {
    public static func decode(_ bytes: [UInt8]?, type: PostgresDataType) throws(PostgresDecodingFailure) -> Self {
        guard let bytes else { throw PostgresDecodingFailure("unexpected NULL (decode an Optional)") }
        return try Self(postgresText: bytes, type: type)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = .some(try Wrapped(postgresText: bytes, type: type))
    }

    public static func decode(_ bytes: [UInt8]?, type: PostgresDataType) throws(PostgresDecodingFailure) -> Self {
        guard let bytes else { return nil }
        return .some(try Wrapped(postgresText: bytes, type: type))
    }
}

extension String: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        // The connection's client_encoding is UTF8, so the server sends valid UTF-8.
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Int: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = Int(String(decoding: bytes, as: UTF8.self)) else {
            throw PostgresDecodingFailure("not an integer in range")
        }
        self = value
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = Int32(String(decoding: bytes, as: UTF8.self)) else {
            throw PostgresDecodingFailure("not a 32-bit integer")
        }
        self = value
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = Int16(String(decoding: bytes, as: UTF8.self)) else {
            throw PostgresDecodingFailure("not a 16-bit integer")
        }
        self = value
    }
}

extension Double: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        // float8out writes "Infinity", "-Infinity", "NaN", which Double(String) accepts.
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else {
            throw PostgresDecodingFailure("not a floating-point number")
        }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        switch bytes {
        case [UInt8(ascii: "t")]: self = true
        case [UInt8(ascii: "f")]: self = false
        default: throw PostgresDecodingFailure("not a boolean (expected t or f)")
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = UUID(postgresText: bytes) else {
            throw PostgresDecodingFailure("not a UUID")
        }
        self = value
    }
}

extension Date: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = PostgresTimestamp.parse(bytes) else {
            throw PostgresDecodingFailure("not an ISO timestamp")
        }
        self = value
    }
}

extension Data: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = PostgresHex.decode(bytes) else {
            throw PostgresDecodingFailure("not bytea hex output")
        }
        self = Data(value)
    }
}

extension PostgresJSONB: PostgresDecodable {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .jsonb || type == .json || type == .text else {
            throw PostgresDecodingFailure("not a json, jsonb or text column")
        }
        self.init(bytes: bytes)
    }
}

extension Array: PostgresDecodable where Element == String {
    public init(postgresText bytes: [UInt8], type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let elements = PostgresTextArray.parse(bytes) else {
            throw PostgresDecodingFailure("not a one-dimensional text array")
        }
        var strings: [String] = []
        for element in elements {
            guard let element else { throw PostgresDecodingFailure("array contains NULL") }
            strings.append(element)
        }
        self = strings
    }
}
