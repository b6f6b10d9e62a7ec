import JSON

/// Reads a stored compact site assessment from its parsed document (`JSONTape`), member by
/// member, as its `Decodable` conformance reads it (required members present and not null,
/// optional ones absent or null, integers exact, unknown members ignored), without
/// Foundation's `JSONDecoder`. Building a webhook event's body reads its site's stored
/// assessment, and that decode was nearly half of the service's delivery CPU (perf, `make
/// bench-webhooks`): generic metadata and keyed containers for every member of every finding.
struct CompactAssessmentReader {
    typealias Value = JSONTape.Value

    /// The first fault met, with the member's path.
    struct Fault: Error, CustomStringConvertible {
        let description: String
    }

    let tape: JSONTape

    /// Nil when the root is an object without `compact` (a full-form document).
    func assessment() throws(Fault) -> CompactSiteAssessment? {
        let root = tape.root
        guard tape.kind(root) == .object else { throw Fault(description: "the document is not an object") }
        guard tape.member(root, "compact") != nil else { return nil }
        return try CompactSiteAssessment(reading: root, with: self)
    }

    func required(_ object: Value, _ name: StaticString) throws(Fault) -> Value {
        guard let value = optional(object, name) else { throw Fault(description: "\(name) is missing or null") }
        return value
    }

    func optional(_ object: Value, _ name: StaticString) -> Value? {
        guard let value = tape.member(object, name), tape.kind(value) != .null else { return nil }
        return value
    }

    func object(_ value: Value, _ name: StaticString) throws(Fault) -> Value {
        guard tape.kind(value) == .object else { throw Fault(description: "\(name) is not an object") }
        return value
    }

    func string(_ value: Value, _ name: StaticString) throws(Fault) -> String {
        guard tape.isString(value) else { throw Fault(description: "\(name) is not a string") }
        return tape.string(value)
    }

    func double(_ value: Value, _ name: StaticString) throws(Fault) -> Double {
        guard tape.kind(value) == .number else { throw Fault(description: "\(name) is not a number") }
        return tape.number(value)
    }

    func int(_ value: Value, _ name: StaticString) throws(Fault) -> Int {
        guard tape.kind(value) == .number, let integer = Int(exactly: tape.number(value)) else {
            throw Fault(description: "\(name) is not an integer")
        }
        return integer
    }

    func word<Word: RawRepresentable>(_ value: Value, _ name: StaticString, as: Word.Type) throws(Fault) -> Word where Word.RawValue == String {
        guard let word = Word(rawValue: try string(value, name)) else { throw Fault(description: "\(name) is not a known value") }
        return word
    }

    func array(_ value: Value, _ name: StaticString) throws(Fault) -> [Value] {
        guard tape.kind(value) == .array else { throw Fault(description: "\(name) is not an array") }
        return tape.elements(value)
    }

    // Optional members: absent and null alike are nil.
    func string(in object: Value, _ name: StaticString) throws(Fault) -> String? {
        guard let value = optional(object, name) else { return nil }
        return try string(value, name)
    }

    func double(in object: Value, _ name: StaticString) throws(Fault) -> Double? {
        guard let value = optional(object, name) else { return nil }
        return try double(value, name)
    }

    func int(in object: Value, _ name: StaticString) throws(Fault) -> Int? {
        guard let value = optional(object, name) else { return nil }
        return try int(value, name)
    }
}
