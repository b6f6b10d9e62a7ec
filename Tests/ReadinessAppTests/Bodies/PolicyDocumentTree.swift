import Foundation
import JSON
import ReadinessServiceTestSupport
import Testing

/// A policy document as `GET /v1/policies/{name}` answers it, kept as the project's JSON tree
/// so that a test can change a few members and send the rest back exactly as the service wrote
/// it, members it did not name included (a typed model would drop whatever it does not declare,
/// and could not carry the unknown or malformed members a refusal test adds).
struct PolicyDocumentTree {
    var root: JSONValue

    init(_ response: APIClient.Response) throws {
        try self.init(json: response.body)
    }

    /// A document the test wrote itself (a candidate it is about to break, say).
    init(json: Data) throws {
        root = try JSONParser.parse(json)
    }

    /// The value at a JSON pointer (RFC 6901; array elements by index), nil when nothing is
    /// there. Setting a value replaces the member or appends it to its object; setting nil
    /// removes it. A change with no place to go (a missing parent, an index past the end) is
    /// an issue of the test: an edit silently lost would let a refusal test pass for nothing.
    subscript(pointer: String) -> JSONValue? {
        get { Self.value(at: Self.tokens(pointer)[...], in: root) }
        set {
            if !Self.set(newValue, at: Self.tokens(pointer)[...], in: &root) {
                Issue.record("the policy document has no place for \(pointer)")
            }
        }
    }

    /// The elements of the array at `pointer` (none when it is not an array).
    func elements(_ pointer: String) -> [JSONValue] {
        guard case .array(let elements)? = self[pointer] else { return [] }
        return elements
    }

    /// The document as a request body.
    func body() throws -> Data {
        Data(try JSONWriter.document(capacity: 16_384) { root.write(to: $0) })
    }

    private static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    private static func value(at tokens: ArraySlice<String>, in value: JSONValue) -> JSONValue? {
        guard let token = tokens.first else { return value }
        switch value {
        case .object(let members):
            return members.last { $0.key == token }.flatMap { Self.value(at: tokens.dropFirst(), in: $0.value) }
        case .array(let elements):
            guard let index = Int(token), elements.indices.contains(index) else { return nil }
            return Self.value(at: tokens.dropFirst(), in: elements[index])
        default:
            return nil
        }
    }

    /// Whether the change had a place to go.
    private static func set(_ newValue: JSONValue?, at tokens: ArraySlice<String>, in value: inout JSONValue) -> Bool {
        guard let token = tokens.first else {
            guard let newValue else { return false }
            value = newValue
            return true
        }
        switch value {
        case .object(var members):
            let done: Bool
            if let index = members.lastIndex(where: { $0.key == token }) {
                if tokens.count == 1, newValue == nil {
                    members.remove(at: index)
                    done = true
                } else {
                    done = set(newValue, at: tokens.dropFirst(), in: &members[index].value)
                }
            } else if tokens.count == 1, let newValue {
                members.append((key: token, value: newValue))
                done = true
            } else {
                done = false
            }
            value = .object(members)
            return done
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { return false }
            let done = set(newValue, at: tokens.dropFirst(), in: &elements[index])
            value = .array(elements)
            return done
        default:
            return false
        }
    }
}
