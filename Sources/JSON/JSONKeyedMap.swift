/// A JSON object whose keys are data rather than a declared shape (a fleet summary's
/// `by_verdict`, a webhook body's `links`, a PagerDuty event's `custom_details`). Written in
/// byte order of its keys, as `JSONMembers` writes declared names and as `JSONEncoder`'s
/// `.sortedKeys` orders the keys these maps hold (lower-case words joined by `_`), so equal
/// maps are equal bytes whichever encoding writes them.
public struct JSONKeyedMap<Value: JSONMemberValue>: JSONMemberValue {
    public let entries: [String: Value]

    public init(_ entries: [String: Value]) { self.entries = entries }

    public func write(to json: JSONWriter) {
        json.beginObject()
        for (key, value) in entries.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.key(key)
            value.write(to: json)
        }
        json.endObject()
    }

    public var encoded: [String: Value.Encoded] { entries.mapValues(\.encoded) }
}

extension JSONKeyedMap: Sendable where Value: Sendable {}
