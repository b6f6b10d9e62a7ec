import JSON
import Foundation
import HTTPServer

/// A policy by name and version (`PolicyRef` in the API); `version` nil follows the newest.
/// Answers that name the exact version assessed under (`PolicyVersionRef`: the site
/// assessment, the rescore answer) write this same shape with `version` set.
struct PolicyReference: Sendable, Equatable {
    var name: String
    var version: Int?

    static let `default` = PolicyReference(name: "sococo", version: nil)

    /// Reads `{name, version}` at `pointer` ("" for a whole body, "/policy" inside a site).
    /// Both members are required (`version` may be null); others are faults.
    static func read(_ value: JSONValue, at pointer: String, into reader: inout FieldReader) -> PolicyReference? {
        guard case .object(let members) = value else {
            reader.fault(pointer, value == .null ? "must be an object, not null" : "must be an object")
            return nil
        }
        let body = ObjectBody(members: members)
        let before = reader.faults.count
        let name = reader.string(body["name"], at: pointer + "/name", lengths: 1...63)
        if case .absent = name { reader.fault(pointer + "/name", "is required") }
        let version = reader.integer(body["version"], at: pointer + "/version", in: 1...Int(Int32.max), nullable: true)
        if case .absent = version { reader.fault(pointer + "/version", "is required (null follows the newest version)") }
        body.rejectUnknown(allowed: ["name", "version"], under: pointer, into: &reader)
        guard reader.faults.count == before, let name = name.value else { return nil }
        return PolicyReference(name: name, version: version.value)
    }

    /// Adds a fault when the policy (or that version of it) does not exist.
    func checkExists(in catalog: PolicyCatalog, at pointer: String, into reader: inout FieldReader) async throws {
        if let version {
            guard try await catalog.policy(name: name, version: version) == nil else { return }
            if try await catalog.policy(name: name, version: nil) == nil {
                reader.fault(pointer + "/name", "no policy is named \"\(name)\"")
            } else {
                reader.fault(pointer + "/version", "policy \(name) has no version \(version)")
            }
        } else if try await catalog.policy(name: name, version: nil) == nil {
            reader.fault(pointer + "/name", "no policy is named \"\(name)\"")
        }
    }
}

/// Declared once; `version` is written as null ("the newest"), never left out.
extension PolicyReference: JSONObject {
    static let members: JSONMembers<PolicyReference> = [
        JSONMember("name", \.name),
        JSONMember("version", \.version),
    ]
}
