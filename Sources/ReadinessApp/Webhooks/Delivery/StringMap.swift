import JSON

/// A JSON object whose keys are data rather than a declared shape: a body's `links`, a
/// PagerDuty event's `custom_details`. Written in byte order of its keys, as `JSONMembers`
/// writes declared names; the keys these bodies hold (lower-case words joined by `_`) sort the
/// same under `JSONEncoder`'s `.sortedKeys`, which `encoded` is given to
/// (`WebhookBodyBytesTests` pins both bodies).
struct StringMap: JSONMemberValue, Sendable {
    let entries: [String: String]

    init(_ entries: [String: String]) { self.entries = entries }

    func write(to json: JSONWriter) {
        json.beginObject()
        for (key, value) in entries.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.key(key)
            json.string(value)
        }
        json.endObject()
    }

    var encoded: [String: String] { entries }
}
