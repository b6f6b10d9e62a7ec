import Foundation
import HTTPServer
import ReadinessScoring

/// The policy a preview scores with, from the body of `POST /v1/policies/{policy_name}/preview`:
/// `{"version": n}` names a stored version of the policy; any other body is a candidate
/// document, validated exactly as `POST …/versions` validates it (the same 422s), and stored nowhere.
enum PreviewCandidate {
    case version(Int)
    case document(Policy)

    static func read(_ request: HTTPRequest, name: String) throws -> PreviewCandidate {
        let body = try ObjectBody(request)
        if body.members.count == 1, let sent = body["version"] {
            guard case let .number(value) = sent, value >= 1, value <= Double(Int32.max), value.rounded() == value else {
                throw RequestBody.validationProblem([("/version", "must be a stored version number of policy \(name)")])
            }
            return .version(Int(value))
        }
        return .document(try PolicyInput.read(request, name: name))
    }
}
