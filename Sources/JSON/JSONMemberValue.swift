import Foundation
import UUIDText

/// A value a `JSONObject` member can hold: how it is written, and what `Encoder` is given for
/// it so that `JSONEncoder` (`.sortedKeys`, times as `RFC3339Timestamp` text) writes the same
/// bytes.
public protocol JSONMemberValue: SendableMetatype {
    associatedtype Encoded: Encodable
    func write(to json: JSONWriter)
    var encoded: Encoded { get }
}

/// A member value that can be read back from a document.
public protocol JSONReadableValue: JSONMemberValue {
    init(json: JSONValue) throws(JSONReadError)
    /// The value when the member is absent; nil when the member is required.
    static var whenAbsent: Self? { get }
    /// What a fault says was expected.
    static var typeDescription: String { get }
}

extension JSONReadableValue {
    public static var whenAbsent: Self? { nil }
}

extension String: JSONReadableValue {
    public func write(to json: JSONWriter) { json.string(self) }
    public var encoded: String { self }
    public static var typeDescription: String { "string" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .string(let text) = json else { throw JSONReadError(expected: Self.typeDescription, found: json) }
        self = text
    }
}

extension Int: JSONReadableValue {
    public func write(to json: JSONWriter) { json.int(self) }
    public var encoded: Int { self }
    public static var typeDescription: String { "integer" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .number(let number) = json, let integer = Int(exactly: number) else {
            throw JSONReadError(expected: Self.typeDescription, found: json)
        }
        self = integer
    }
}

extension Double: JSONReadableValue {
    public func write(to json: JSONWriter) { json.double(self) }
    public var encoded: Double { self }
    public static var typeDescription: String { "number" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .number(let number) = json else { throw JSONReadError(expected: Self.typeDescription, found: json) }
        self = number
    }
}

extension Bool: JSONReadableValue {
    public func write(to json: JSONWriter) { json.bool(self) }
    public var encoded: Bool { self }
    public static var typeDescription: String { "boolean" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .bool(let flag) = json else { throw JSONReadError(expected: Self.typeDescription, found: json) }
        self = flag
    }
}

/// RFC 9562 §4: lower case (Foundation's `uuidString` is upper case).
extension UUID: JSONReadableValue {
    public func write(to json: JSONWriter) { json.string(self) }
    public var encoded: String { uuidString.lowercased() }
    public static var typeDescription: String { "UUID" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .string(let text) = json, let uuid = UUID(hyphenatedHex: text) else {
            throw JSONReadError(expected: Self.typeDescription, found: json)
        }
        self = uuid
    }
}

/// RFC 3339 text as `RFC3339Timestamp` spells it.
extension Date: JSONReadableValue {
    public func write(to json: JSONWriter) { json.timestamp(self) }
    public var encoded: String { RFC3339Timestamp.format(self) }
    public static var typeDescription: String { "RFC 3339 date-time" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .string(let text) = json, let date = RFC3339Timestamp.parse(text) else {
            throw JSONReadError(expected: Self.typeDescription, found: json)
        }
        self = date
    }
}

/// `null` when nil.
extension Optional: JSONMemberValue where Wrapped: JSONMemberValue {
    public func write(to json: JSONWriter) {
        if let self { self.write(to: json) } else { json.null() }
    }
    public var encoded: Wrapped.Encoded? { self?.encoded }
}

/// `null` or nothing reads as nil.
extension Optional: JSONReadableValue where Wrapped: JSONReadableValue {
    public static var whenAbsent: Self? { .some(nil) }
    public static var typeDescription: String { Wrapped.typeDescription + " or null" }
    public init(json: JSONValue) throws(JSONReadError) {
        if case .null = json { self = nil } else { self = try Wrapped(json: json) }
    }
}

extension Array: JSONMemberValue where Element: JSONMemberValue {
    public func write(to json: JSONWriter) {
        json.beginArray()
        for element in self { element.write(to: json) }
        json.endArray()
    }
    public var encoded: [Element.Encoded] { map(\.encoded) }
}

extension Array: JSONReadableValue where Element: JSONReadableValue {
    public static var typeDescription: String { "array" }
    public init(json: JSONValue) throws(JSONReadError) {
        guard case .array(let elements) = json else { throw JSONReadError(expected: Self.typeDescription, found: json) }
        self = []
        reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do throws(JSONReadError) {
                append(try Element(json: element))
            } catch {
                var inner = error
                inner.pointer = JSONPointer.appending("", index) + error.pointer
                throw inner
            }
        }
    }
}
