import Foundation
import HTTPServer
import ReadinessScoring

/// The body of `POST /v1/policies/{policy_name}/versions` (`PolicyDocumentInput`), validated
/// completely by the domain so that one 422 lists every fault by JSON pointer.
enum PolicyInput {
    static let members: Set<String> = ["policy", "version", "title", "freshness_window_s", "transport", "rules"]
    /// The CHECK on `policies.name` in migration 0001: `^[a-z0-9][a-z0-9_-]{0,62}$`.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, alphanumeric(first), bytes.count <= 63 else { return false }
        return bytes.dropFirst().allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// The validated policy. `version` is the server's to assign (any value sent is ignored);
    /// `policy`, when sent, must equal the name in the path.
    static func read(_ request: HTTPRequest, name: String) throws -> Policy {
        let body = try ObjectBody(request)
        var reader = FieldReader()
        if let sent = body["policy"] {
            if sent != .string(name) { reader.fault("/policy", "must be \"\(name)\", the name in the path, or be left out") }
        }
        body.rejectUnknown(allowed: members, into: &reader, detail: "is not a member of a policy document")
        // Stored as jsonb, which cannot hold U+0000: named here rather than refused by the database.
        for member in body.members { reader.rejectNUL(in: member.value, at: ObjectBody.pointer(member.key)) }
        // The domain decodes the whole document, so the name and a placeholder version are put in
        // before it reads it; the real version is assigned when the row is stored.
        guard var object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] else {
            throw HTTPError(status: .badRequest, detail: "the body is not valid JSON", problem: ProblemTypes.invalidRequest)
        }
        object["policy"] = name
        object["version"] = 1
        do {
            let json = try JSONSerialization.data(withJSONObject: object)
            let policy = try Policy(json: json)
            try reader.throwIfFaulty()
            return policy
        } catch let error as PolicyValidationError {
            for fault in error.faults { reader.fault(fault.pointer, fault.message) }
            throw RequestBody.validationProblem(reader.faults)
        }
    }
}
