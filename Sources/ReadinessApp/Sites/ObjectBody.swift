import JSON
import Foundation
import HTTPServer

/// A JSON object request body kept as its parsed members, for the bodies whose member set is
/// closed (sites, agents, tokens, policy references). `JSONDecoder` stops at the first fault
/// and cannot tell an absent member from an explicit null (RFC 7396 needs both); reading the
/// tree with ``FieldReader`` lets one 422 name every fault, in document order.
struct ObjectBody {
    typealias JSON = JSONValue

    let members: [(key: String, value: JSON)]

    /// What ``RequestBody/json(_:)`` refuses (415, 400, 422), then 422 for JSON that is not an
    /// object.
    init(_ request: HTTPRequest) throws {
        try self.init(try RequestBody.json(request), at: "")
    }

    /// A nested object (e.g. `policy` inside a site), or a 422 naming `pointer`.
    init(_ value: JSON, at pointer: String) throws {
        guard case .object(let members) = value else {
            throw RequestBody.validationProblem([(pointer, "must be a JSON object")])
        }
        self.members = members
    }

    init(members: [(key: String, value: JSON)]) { self.members = members }

    /// The member's value; nil when absent (an explicit null is `.null`). Names are unique:
    /// ``RequestBody/json(_:)`` refuses a repeated one.
    subscript(key: String) -> JSON? {
        members.last { $0.key == key }?.value
    }

    var isEmpty: Bool { members.isEmpty }

    /// Records every member not in `allowed` as a fault: the API rejects unknown members of its
    /// own bodies so that a misspelt field is refused rather than silently ignored.
    func rejectUnknown(allowed: Set<String>, under prefix: String = "", into reader: inout FieldReader,
                       detail: String = "is not a known member") {
        var seen = Set<String>()
        for member in members where !allowed.contains(member.key) && seen.insert(member.key).inserted {
            reader.fault(prefix + Self.pointer(member.key), detail)
        }
    }

    /// RFC 6901 §3: `~` and `/` in a member name are escaped.
    static func pointer(_ key: String) -> String {
        "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
