import JSON
import Foundation

/// Reads typed fields out of a parsed document (`JSONTape`) while collecting every fault with
/// its pointer, so one pass reports all problems of an upload (probe-result-v1.md: "names each
/// bad field"). Each object is walked once, its members filed under the contract's fields
/// (`ObjectMembers`, names compared as bytes); a value becomes a `String` only when it is taken.
struct ContractReader {
    typealias Value = JSONTape.Value

    let tape: JSONTape
    /// Longest string the contract accepts, in Unicode scalars (the size limit).
    static let maximumStringLength = 255
    /// Longest list inside one result (the size limit).
    static let maximumListCount = 256

    private(set) var faults: [ValidationFault] = []
    /// Where the reader is in the document. Kept as tokens and rendered into a JSON pointer
    /// only when a fault is recorded: valid uploads (nearly all) build no pointer strings.
    private var path: [PathToken] = []

    enum PathToken {
        case key(StaticString)
        case index(Int)
    }

    init(_ tape: JSONTape) {
        self.tape = tape
        path.reserveCapacity(8)
    }

    /// A fault at the value being read.
    mutating func fault(_ message: String) {
        faults.append(ValidationFault(pointer: pointer(), message: message))
    }

    /// A fault at member `key` of the value being read.
    mutating func fault(at key: StaticString, _ message: String) {
        faults.append(ValidationFault(pointer: JSONPointer.appending(pointer(), key.description), message: message))
    }

    mutating func fault(pointer: String, _ message: String) {
        faults.append(ValidationFault(pointer: pointer, message: message))
    }

    private func pointer() -> String {
        path.reduce("") { base, token in
            switch token {
            case let .key(key): return JSONPointer.appending(base, key.description)
            case let .index(index): return JSONPointer.appending(base, index)
            }
        }
    }

    /// Runs `read` with `token` appended to the current location.
    mutating func within<T>(_ token: PathToken, _ read: (inout ContractReader) -> T) -> T {
        path.append(token)
        defer { path.removeLast() }
        return read(&self)
    }

    /// The members of `object`, filed by field in one walk over it.
    func members<F: ContractFields>(_ object: Value, as fields: F.Type = F.self) -> ObjectMembers<F> {
        ObjectMembers(object, in: tape)
    }

    /// The member `field` of an object; nil for absent or `null`. Reports a missing required member.
    mutating func member<F>(_ members: ObjectMembers<F>, _ field: F, required: Bool) -> Value? {
        guard let value = members[field], tape.kind(value) != .null else {
            if required { fault(at: field.name, "is required") }
            return nil
        }
        return value
    }

    /// An object member, handed to `read` with the location moved inside it.
    mutating func object<T, F, G>(
        _ parent: ObjectMembers<F>, _ field: F, required: Bool, as fields: G.Type,
        read: (inout ContractReader, ObjectMembers<G>) -> T?
    ) -> T? {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        guard tape.kind(value) == .object else { fault(at: key, "must be an object, not \(tape.typeName(value))"); return nil }
        let members = ObjectMembers<G>(value, in: tape)
        return within(.key(key)) { read(&$0, members) }
    }

    /// An array member, each element handed to `read` with the location moved to it.
    mutating func array<Element, F, G>(
        _ parent: ObjectMembers<F>, _ field: F, required: Bool = false, as fields: G.Type,
        read: (inout ContractReader, ObjectMembers<G>) -> Element?
    ) -> [Element]? {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        guard tape.kind(value) == .array else { fault(at: key, "must be an array, not \(tape.typeName(value))"); return nil }
        let count = tape.count(value)
        guard count <= Self.maximumListCount else {
            fault(at: key, "must hold at most \(Self.maximumListCount) entries, not \(count)")
            return nil
        }
        // The tape read outside the reader: reading it through `reader`, which the closures
        // mutate, copied it (three retains) per element.
        let tape = tape
        return within(.key(key)) { reader in
            var result: [Element] = []
            result.reserveCapacity(count)
            var complete = true
            tape.forEachElement(value) { index, element in
                let item = reader.within(.index(index)) { reader -> Element? in
                    guard tape.kind(element) == .object else {
                        reader.fault("must be an object, not \(tape.typeName(element))")
                        return nil
                    }
                    return read(&reader, ObjectMembers<G>(element, in: tape))
                }
                if let item { result.append(item) } else { complete = false }
            }
            return complete ? result : nil
        }
    }

    mutating func string<F>(_ parent: ObjectMembers<F>, _ field: F, required: Bool = true) -> String? {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        guard tape.isString(value) else { fault(at: key, "must be a string, not \(tape.typeName(value))"); return nil }
        let text = tape.string(value)
        if text.utf8.count > Self.maximumStringLength, text.unicodeScalars.count > Self.maximumStringLength {
            fault(at: key, "must be at most \(Self.maximumStringLength) characters")
            return nil
        }
        return text
    }

    mutating func bool<F>(_ parent: ObjectMembers<F>, _ field: F, required: Bool = true) -> Bool? {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        guard tape.kind(value) == .bool else { fault(at: key, "must be a boolean, not \(tape.typeName(value))"); return nil }
        return tape.bool(value)
    }

    mutating func number<F>(
        _ parent: ObjectMembers<F>, _ field: F, required: Bool = true,
        range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude
    ) -> Double? {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        guard tape.kind(value) == .number else { fault(at: key, "must be a number, not \(tape.typeName(value))"); return nil }
        let number = tape.number(value)
        guard range.contains(number) else {
            if range.upperBound == Double.greatestFiniteMagnitude {
                fault(at: key, "must be at least \(Self.describe(range.lowerBound)), not \(Self.describe(number))")
            } else {
                fault(at: key, "must be between \(Self.describe(range.lowerBound)) and \(Self.describe(range.upperBound)), not \(Self.describe(number))")
            }
            return nil
        }
        return number
    }

    mutating func integer<F>(
        _ parent: ObjectMembers<F>, _ field: F, required: Bool = true, range: ClosedRange<Int>
    ) -> Int? {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        let number = tape.number(value)
        guard tape.kind(value) == .number, number.rounded() == number, abs(number) < 1e15 else {
            fault(at: key, "must be an integer, not \(tape.kind(value) == .number ? "a fraction" : tape.typeName(value))")
            return nil
        }
        let integer = Int(number)
        guard range.contains(integer) else {
            fault(at: key, "must be between \(range.lowerBound) and \(range.upperBound), not \(integer)")
            return nil
        }
        return integer
    }

    mutating func enumeration<E: ContractEnumeration, F>(
        _ parent: ObjectMembers<F>, _ field: F, required: Bool = true
    ) -> E? where E.RawValue == String {
        let key = field.name
        guard let value = member(parent, field, required: required) else { return nil }
        guard tape.isString(value) else { fault(at: key, "must be a string, not \(tape.typeName(value))"); return nil }
        // A name with escapes (never a valid one in practice) is still judged by its text.
        guard let result = tape.withRawBytes(value, E.named) ?? E(rawValue: tape.string(value)) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            fault(at: key, "must be one of \(allowed)")
            return nil
        }
        return result
    }

    mutating func timestamp<F>(_ parent: ObjectMembers<F>, _ field: F) -> Date? {
        let key = field.name
        guard let value = member(parent, field, required: true) else { return nil }
        guard tape.isString(value) else { fault(at: key, "must be a string, not \(tape.typeName(value))"); return nil }
        guard let date = tape.withRawBytes(value, RFC3339Timestamp.parse(bytes:)) ?? RFC3339Timestamp.parse(tape.string(value)) else {
            fault(at: key, "must be an RFC 3339 timestamp such as 2026-11-24T10:00:00Z")
            return nil
        }
        return date
    }

    static func describe(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
