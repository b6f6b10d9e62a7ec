import Foundation

/// Written-only members of the values `JSONWriter` writes directly, each with a closure that
/// knows its value's type (see `JSONMember.init(_:_:)`). Nil is written as `null`.
extension JSONMember {
    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> String) {
        self.init(name, value) { object, json in json.member(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> String?) {
        self.init(name, value) { object, json in json.memberOrNull(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Int) {
        self.init(name, value) { object, json in json.member(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Int?) {
        self.init(name, value) { object, json in json.memberOrNull(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Double) {
        self.init(name, value) { object, json in json.member(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Double?) {
        self.init(name, value) { object, json in json.memberOrNull(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Bool) {
        self.init(name, value) { object, json in json.member(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> UUID) {
        self.init(name, value) { object, json in json.member(name, value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> UUID?) {
        self.init(name, value) { object, json in
            json.key(name)
            if let uuid = value(object) { json.string(uuid) } else { json.null() }
        }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Date) {
        self.init(name, value) { object, json in json.member(name, timestamp: value(object)) }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> Date?) {
        self.init(name, value) { object, json in
            json.key(name)
            if let date = value(object) { json.timestamp(date) } else { json.null() }
        }
    }

    public init(_ name: StaticString, _ value: @escaping @Sendable (Object) -> [String]) {
        self.init(name, value) { object, json in
            json.key(name)
            json.beginArray()
            for text in value(object) { json.string(text) }
            json.endArray()
        }
    }
}
