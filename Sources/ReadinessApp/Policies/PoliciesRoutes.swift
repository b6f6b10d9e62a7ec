import Foundation
import HTTPServer

/// `/v1/policies`: list policies, read a version (every rule with its source and citation),
/// store a new version.
struct PoliciesRoutes: Sendable {
    let context: AppContext

    private var store: PolicyStore { PolicyStore(database: context.database) }

    func register(on router: inout APIRouter) {
        router.get("/v1/policies", access: .read) { _, _, _ in
            return try APIJSON.response(["items": try await store.summaries()])
        }
        router.get("/v1/policies/{policy_name}", access: .read) { request, _, route in
            try await get(route.parameters["policy_name"] ?? "", request)
        }
        router.post("/v1/policies/{policy_name}/versions", access: .admin) { request, principal, route in
            try await createVersion(route.parameters["policy_name"] ?? "", request, by: principal)
        }
    }

    private func get(_ name: String, _ request: HTTPRequest) async throws -> HTTPResponse {
        let version = try PolicyLookup.version(request)
        guard PolicyInput.isValidName(name), let policy = try await context.policies.policy(name: name, version: version) else {
            let detail = version.map { "policy \(name.prefix(64)) has no version \($0)" } ?? "no policy is named \(name.prefix(64))"
            throw HTTPError(status: .notFound, detail: detail, problem: ProblemTypes.notFound)
        }
        return try APIJSON.response(policy.document)
    }

    private func createVersion(_ name: String, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        guard PolicyInput.isValidName(name) else {
            throw HTTPError(
                status: .badRequest, detail: "a policy name is 1 to 63 lower-case letters, digits, '-' or '_'",
                problem: ProblemTypes.invalidRequest)
        }
        let policy = try PolicyInput.read(request, name: name)
        guard let stored = try await store.storeNextVersion(of: name, policy.document, now: context.clock()) else {
            throw HTTPError(
                status: .conflict, detail: "another version of policy \(name) was stored at the same moment; send the document again",
                problem: ProblemTypes.policyVersionConflict)
        }
        context.logger.info("policy version stored", metadata: [
            "policy": "\(name)", "version": "\(stored.version)", "by_token_id": "\(principal.tokenID)",
        ])
        return try APIJSON.response(stored, status: .created, headers: ["Location": "/v1/policies/\(name)?version=\(stored.version)"])
    }
}
