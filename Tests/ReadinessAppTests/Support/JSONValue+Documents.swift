import Foundation
import JSON
import ReadinessServiceTestSupport

extension APIClient.Response {
    /// The body as the project's own JSON tree: for the tests about an answer's exact shape
    /// (which members, in which order, null against absent), which typed decoding hides, and
    /// for documents sent back changed.
    func jsonTree() throws -> JSONValue { try JSONParser.parse(body) }
}

extension JSONValue {
    /// The value with every object's members in name order, so two documents that mean the
    /// same compare equal whatever order their members were written in (`==` on `JSONValue`
    /// compares members in order). Numbers are compared as doubles: `1` and `1.0` are equal.
    var membersSorted: JSONValue {
        switch self {
        case .array(let elements): .array(elements.map(\.membersSorted))
        case .object(let members):
            .object(members.map { (key: $0.key, value: $0.value.membersSorted) }.sorted { $0.key < $1.key })
        default: self
        }
    }

    /// The object without its member `key` (unchanged when it has none, or is no object).
    func removingMember(_ key: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.key != key })
    }

    /// The object with its member `key` set to `value`, in place or added at the end.
    func settingMember(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key: key, value: value))
        }
        return .object(members)
    }

    /// The document's bytes, to send as a request body.
    func data() throws -> Data {
        let json = JSONWriter()
        write(to: json)
        return Data(try json.finished())
    }
}
