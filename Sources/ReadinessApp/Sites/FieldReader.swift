import JSON
import Foundation

/// One member of a request body as read: absent, an explicit null, a bad value (already
/// recorded as a fault), or a good value. Merge patches (RFC 7396 §2) need absent and null apart.
enum Field<Value> {
    case absent
    case null
    case invalid
    case value(Value)

    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// Typed reads of JSON members that record a fault (pointer, detail) instead of stopping, so one
/// answer lists every mistake. Lengths count Unicode scalars, as PostgreSQL's `length()` does in
/// the CHECK constraints of migration 0001.
struct FieldReader {
    typealias JSON = JSONValue

    var faults: [(pointer: String, detail: String)] = []

    mutating func fault(_ pointer: String, _ detail: String) {
        faults.append((pointer, detail))
    }

    /// 422 naming every fault, or nothing when there is none.
    func throwIfFaulty() throws {
        if !faults.isEmpty { throw RequestBody.validationProblem(faults) }
    }

    mutating func string(_ value: JSON?, at pointer: String, lengths: ClosedRange<Int>, nullable: Bool = false) -> Field<String> {
        guard let value else { return .absent }
        switch value {
        case .null:
            if nullable { return .null }
            fault(pointer, "must be a string, not null")
        case .string(let text):
            // PostgreSQL text cannot hold U+0000 (its columns would refuse it with a 500).
            if text.utf8.contains(0) {
                fault(pointer, Self.nulDetail)
                return .invalid
            }
            let length = text.unicodeScalars.count
            if lengths.contains(length) { return .value(text) }
            fault(pointer, "must be \(lengths.lowerBound) to \(lengths.upperBound) characters long, not \(length)")
        default:
            fault(pointer, "must be a string")
        }
        return .invalid
    }

    mutating func integer(_ value: JSON?, at pointer: String, in range: ClosedRange<Int>, nullable: Bool = false) -> Field<Int> {
        guard let value else { return .absent }
        switch value {
        case .null:
            if nullable { return .null }
            fault(pointer, "must be an integer, not null")
        case .number(let number) where number.rounded() == number && abs(number) < 1e15:
            let integer = Int(number)
            if range.contains(integer) { return .value(integer) }
            fault(pointer, "must be between \(range.lowerBound) and \(range.upperBound), not \(integer)")
        default:
            fault(pointer, "must be an integer")
        }
        return .invalid
    }

    /// An array of distinct strings, at most `maxCount`, each `lengths` long.
    mutating func strings(_ value: JSON?, at pointer: String, maxCount: Int, lengths: ClosedRange<Int>) -> Field<[String]> {
        guard let value else { return .absent }
        guard case .array(let elements) = value else {
            fault(pointer, value == .null ? "must be an array, not null" : "must be an array of strings")
            return .invalid
        }
        if elements.count > maxCount {
            fault(pointer, "must hold at most \(maxCount) items, not \(elements.count)")
            return .invalid
        }
        let before = faults.count
        var result: [String] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            guard case .value(let text) = string(element, at: "\(pointer)/\(index)", lengths: lengths) else { continue }
            if let first = firstIndex[text] {
                fault("\(pointer)/\(index)", "duplicates \(pointer)/\(first)")
            } else {
                firstIndex[text] = index
            }
            result.append(text)
        }
        return faults.count == before ? .value(result) : .invalid
    }
}
