import Foundation

/// A wire shape declared once: the object's members, each a name and how to read it off the
/// value (`members`). Its fast encoding (`write(to:)`, into a `JSONWriter`), its `Encodable`
/// conformance (for callers that still go through `JSONEncoder`, and for values nested in types
/// that do) and, for a `JSONReadableObject`, its decoding all come from that one list, so a
/// type no longer keeps `CodingKeys` and an `encode(to:)` beside a hand-written writer.
///
/// Both encodings write the same bytes (`JSONObjectTests`): keys in byte order, as
/// `JSONEncoder`'s `.sortedKeys` sorts them, and a nil member as `null` or not at all, as its
/// member says.
public protocol JSONObject: JSONMemberValue, Encodable where Encoded == Self {
    /// Declared as `static let`, so it is built once; the order does not matter.
    static var members: JSONMembers<Self> { get }
}

extension JSONObject {
    @inlinable
    public func write(to json: JSONWriter) {
        json.beginObject()
        Self.members.write(self, to: json)
        json.endObject()
    }

    public var encoded: Self { self }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONMemberKey.self)
        for member in Self.members.sorted { try member.encode(self, &container) }
    }
}

/// An object that is read as well as written: made blank, then each member set from the
/// document (every member declared `settable:`; one declared with a closure keeps its blank
/// value). A required member that is absent, or a value of the wrong type, is a
/// `JSONReadError` that names where.
public protocol JSONReadableObject: JSONObject, JSONReadableValue {
    /// The value before any member is read.
    init()
}

extension JSONReadableObject {
    public static var typeDescription: String { "object" }

    public init(json: JSONValue) throws(JSONReadError) {
        guard case .object = json else { throw JSONReadError(expected: "object", found: json) }
        self.init()
        for member in Self.members.sorted {
            try member.read?(&self, json)
        }
    }
}

/// An object member's name as `Encoder` wants it.
public struct JSONMemberKey: CodingKey {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    init(_ name: StaticString) { stringValue = name.description }
}

/// What a document being read held where a member's value did not fit.
public struct JSONReadError: Error, Sendable, Equatable {
    /// Where, as a JSON Pointer (RFC 6901) from the object read.
    public var pointer: String
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public init(expected: String, found: JSONValue?) {
        pointer = ""
        message = found.map { "expected \(expected), found \($0.typeName)" } ?? "expected \(expected), found nothing"
    }

    /// The same fault, seen from the object that holds `name`.
    func inside(_ name: StaticString) -> JSONReadError {
        var error = self
        error.pointer = JSONPointer.appending("", name.description) + pointer
        return error
    }
}
