import Foundation

/// One member of a `JSONObject`: its name, and how the object's value for it is written, given
/// to `Encoder` and, when declared `settable:`, read back.
///
/// The closures are made once, when the type's `members` are; writing calls one of them per
/// member and allocates nothing.
public struct JSONMember<Object>: Sendable {
    public let name: StaticString
    @usableFromInline let write: @Sendable (Object, JSONWriter) -> Void
    let encode: @Sendable (Object, inout KeyedEncodingContainer<JSONMemberKey>) throws -> Void
    let read: (@Sendable (inout Object, JSONValue) throws(JSONReadError) -> Void)?

    /// A member that is written only. An optional value is written as `null` when nil: members
    /// the schema requires are never left out. A key path literal (`\.siteID`) passes as `value`.
    /// (The values `JSONWriter` writes directly have overloads of their own, in
    /// `JSONMember+Values`: a closure made in a generic initializer stays generic, and asked
    /// the runtime for `Value`'s metadata on every call, which made writing twice as slow.)
    public init<Value: JSONMemberValue>(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Value) {
        self.init(name, value) { object, json in
            json.key(name)
            value(object).write(to: json)
        }
    }

    /// `write` writes the member, key and value, as `value` would be written.
    @usableFromInline
    init<Value: JSONMemberValue>(
        _ name: StaticString, _ value: @escaping @Sendable (Object) -> Value,
        writing write: @escaping @Sendable (Object, JSONWriter) -> Void
    ) {
        self.name = name
        self.write = write
        encode = { object, container in try container.encode(value(object).encoded, forKey: JSONMemberKey(name)) }
        read = nil
    }

    /// A written-only member left out when nil, as synthesized `Codable` leaves out a nil
    /// optional (`encodeIfPresent`). A factory rather than an initializer: a trailing closure
    /// given to `JSONMember(name) { … }` could otherwise land here.
    public static func omittedWhenNil<Wrapped: JSONMemberValue>(
        _ name: StaticString, _ value: @escaping @Sendable (Object) -> Wrapped?
    ) -> JSONMember {
        JSONMember(omitting: name, value)
    }

    private init<Wrapped: JSONMemberValue>(omitting name: StaticString, _ value: @escaping @Sendable (Object) -> Wrapped?) {
        self.name = name
        write = { object, json in
            guard let present = value(object) else { return }
            json.key(name)
            present.write(to: json)
        }
        encode = { object, container in try container.encodeIfPresent(value(object)?.encoded, forKey: JSONMemberKey(name)) }
        read = nil
    }

    /// A member that is read as well as written, through a stored property. An optional one
    /// is nil when the document has `null` or nothing, and is written as `null`.
    public init<Value: JSONReadableValue>(_ name: StaticString, settable path: WritableKeyPath<Object, Value> & Sendable) {
        let written = JSONMember(name, { $0[keyPath: path] })
        self.name = name
        write = written.write
        encode = written.encode
        read = { object, json throws(JSONReadError) in
            do throws(JSONReadError) {
                if let value = json[name.description] {
                    object[keyPath: path] = try Value(json: value)
                } else if let absent = Value.whenAbsent {
                    object[keyPath: path] = absent
                } else {
                    throw JSONReadError(expected: Value.typeDescription, found: nil)
                }
            } catch {
                throw error.inside(name)
            }
        }
    }
}

/// A type's members, kept in byte order of their names: the order `JSONEncoder`'s
/// `.sortedKeys` writes, so the writer's bytes are its bytes.
public struct JSONMembers<Object>: Sendable, ExpressibleByArrayLiteral {
    @usableFromInline let sorted: [JSONMember<Object>]
    /// The members' writers alone, in the same order: the loop that writes an object then
    /// copies one closure per member, not a whole `JSONMember`.
    @usableFromInline let writers: ContiguousArray<@Sendable (Object, JSONWriter) -> Void>

    public init(_ members: [JSONMember<Object>]) {
        sorted = members.sorted { left, right in
            left.name.withUTF8Buffer { left in right.name.withUTF8Buffer { right in left.lexicographicallyPrecedes(right) } }
        }
        writers = ContiguousArray(sorted.map(\.write))
    }

    public init(arrayLiteral members: JSONMember<Object>...) {
        self.init(members)
    }

    @usableFromInline
    func write(_ object: Object, to json: JSONWriter) {
        for write in writers { write(object, json) }
    }

    public var names: [String] { sorted.map(\.name.description) }
}
