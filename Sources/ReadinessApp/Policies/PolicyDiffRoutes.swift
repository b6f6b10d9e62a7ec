import Foundation
import HTTPServer
import ReadinessScoring

/// `GET /v1/policies/{policy_name}/diff?from=&to=` (scope read, like the policy reads): rule by
/// rule what changed between two stored versions (`PolicyDiff`).
struct PolicyDiffRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        router.get("/v1/policies/{policy_name}/diff", access: .read) { [context] request, _, route in
            let name = route.parameters["policy_name"] ?? ""
            let (from, to) = try Self.versions(request)
            // The newest version first: an unknown name is said as such, not as a missing version.
            guard PolicyInput.isValidName(name), try await context.policies.policy(name: name, version: nil) != nil else {
                throw HTTPError(status: .notFound, detail: "no policy is named \(name.prefix(64))", problem: ProblemTypes.notFound)
            }
            let before = try await PolicyLookup.require(name: name, version: from, in: context.policies)
            let after = try await PolicyLookup.require(name: name, version: to, in: context.policies)
            return try APIJSON.response(PolicyDiff(from: before.document, to: after.document))
        }
    }

    /// Both versions are required whole numbers of at least 1; every fault named at once.
    static func versions(_ request: HTTPRequest) throws -> (Int, Int) {
        var faults: [(pointer: String, detail: String)] = []
        func version(_ name: String) -> Int? {
            guard let text = request.query[name] else {
                faults.append(("/query/\(name)", "is required: a version of the policy"))
                return nil
            }
            guard let value = Int(text), value >= 1 else {
                faults.append(("/query/\(name)", "must be a whole number of at least 1"))
                return nil
            }
            return value
        }
        let from = version("from"), to = version("to")
        guard let from, let to, faults.isEmpty else { throw RequestBody.validationProblem(faults) }
        return (from, to)
    }
}
