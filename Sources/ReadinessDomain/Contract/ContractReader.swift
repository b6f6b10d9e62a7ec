import Foundation

/// Reads typed fields out of a `JSONValue` tree while collecting every fault with its pointer,
/// so one pass reports all problems of an upload (probe-result-v1.md: "names each bad field").
struct ContractReader {
    /// Longest string the contract accepts, in Unicode scalars (the issue's size limit).
    static let maximumStringLength = 255
    /// Longest list inside one result (the issue's size limit).
    static let maximumListCount = 256

    private(set) var faults: [ValidationFault] = []
    /// Where the reader is in the document. Kept as tokens and rendered into a JSON pointer
    /// only when a fault is recorded: valid uploads (nearly all) build no pointer strings.
    private var path: [PathToken] = []

    enum PathToken {
        case key(String)
        case index(Int)
    }

    init() { path.reserveCapacity(8) }

    /// A fault at the value being read.
    mutating func fault(_ message: String) {
        faults.append(ValidationFault(pointer: pointer(), message: message))
    }

    /// A fault at member `key` of the value being read.
    mutating func fault(at key: String, _ message: String) {
        faults.append(ValidationFault(pointer: JSONPointer.appending(pointer(), key), message: message))
    }

    mutating func fault(pointer: String, _ message: String) {
        faults.append(ValidationFault(pointer: pointer, message: message))
    }

    private func pointer() -> String {
        path.reduce("") { base, token in
            switch token {
            case let .key(key): return JSONPointer.appending(base, key)
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

    /// The member `key` of `object`; nil for absent or `null`. Reports a missing required member.
    mutating func member(_ object: JSONValue, _ key: String, required: Bool) -> JSONValue? {
        guard let value = object[key], value != .null else {
            if required { fault(at: key, "is required") }
            return nil
        }
        return value
    }

    /// An object member, handed to `read` with the location moved inside it.
    mutating func object<T>(
        _ parent: JSONValue, _ key: String, required: Bool, read: (inout ContractReader, JSONValue) -> T?
    ) -> T? {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case .object = value else { fault(at: key, "must be an object, not \(value.typeName)"); return nil }
        return within(.key(key)) { read(&$0, value) }
    }

    /// An array member, each element handed to `read` with the location moved to it.
    mutating func array<Element>(
        _ parent: JSONValue, _ key: String, required: Bool = false,
        read: (inout ContractReader, JSONValue) -> Element?
    ) -> [Element]? {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case let .array(elements) = value else { fault(at: key, "must be an array, not \(value.typeName)"); return nil }
        guard elements.count <= Self.maximumListCount else {
            fault(at: key, "must hold at most \(Self.maximumListCount) entries, not \(elements.count)")
            return nil
        }
        return within(.key(key)) { reader in
            var result: [Element] = []
            result.reserveCapacity(elements.count)
            var complete = true
            for (index, element) in elements.enumerated() {
                let item = reader.within(.index(index)) { reader -> Element? in
                    guard case .object = element else {
                        reader.fault("must be an object, not \(element.typeName)")
                        return nil
                    }
                    return read(&reader, element)
                }
                if let item { result.append(item) } else { complete = false }
            }
            return complete ? result : nil
        }
    }

    mutating func string(_ parent: JSONValue, _ key: String, required: Bool = true) -> String? {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case let .string(text) = value else { fault(at: key, "must be a string, not \(value.typeName)"); return nil }
        if text.utf8.count > Self.maximumStringLength, text.unicodeScalars.count > Self.maximumStringLength {
            fault(at: key, "must be at most \(Self.maximumStringLength) characters")
            return nil
        }
        return text
    }

    mutating func bool(_ parent: JSONValue, _ key: String, required: Bool = true) -> Bool? {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case let .bool(flag) = value else { fault(at: key, "must be a boolean, not \(value.typeName)"); return nil }
        return flag
    }

    mutating func number(
        _ parent: JSONValue, _ key: String, required: Bool = true,
        range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude
    ) -> Double? {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case let .number(number) = value else { fault(at: key, "must be a number, not \(value.typeName)"); return nil }
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

    mutating func integer(
        _ parent: JSONValue, _ key: String, required: Bool = true, range: ClosedRange<Int>
    ) -> Int? {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case let .number(number) = value, number.rounded() == number, abs(number) < 1e15 else {
            fault(at: key, "must be an integer, not \(value.typeName == "number" ? "a fraction" : value.typeName)")
            return nil
        }
        let integer = Int(number)
        guard range.contains(integer) else {
            fault(at: key, "must be between \(range.lowerBound) and \(range.upperBound), not \(integer)")
            return nil
        }
        return integer
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ parent: JSONValue, _ key: String, required: Bool = true
    ) -> E? where E.RawValue == String {
        guard let value = member(parent, key, required: required) else { return nil }
        guard case let .string(text) = value else { fault(at: key, "must be a string, not \(value.typeName)"); return nil }
        guard let result = E(rawValue: text) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            fault(at: key, "must be one of \(allowed)")
            return nil
        }
        return result
    }

    mutating func timestamp(_ parent: JSONValue, _ key: String) -> Date? {
        guard let value = member(parent, key, required: true) else { return nil }
        guard case let .string(text) = value else { fault(at: key, "must be a string, not \(value.typeName)"); return nil }
        guard let date = RFC3339Timestamp.parse(text) else {
            fault(at: key, "must be an RFC 3339 timestamp such as 2026-11-24T10:00:00Z")
            return nil
        }
        return date
    }

    static func describe(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
