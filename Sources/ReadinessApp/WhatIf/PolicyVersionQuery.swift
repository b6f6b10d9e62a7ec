import Foundation
import HTTPServer
import ReadinessScoring

/// `?version=` (openapi `PolicyVersionQuery`) and the lookup both what-if operations share.
enum PolicyLookup {
    static func version(_ request: HTTPRequest) throws -> Int? {
        guard let text = request.query["version"] else { return nil }
        guard let version = Int(text), version >= 1 else {
            throw RequestBody.validationProblem([("/query/version", "must be a whole number of at least 1")])
        }
        return version
    }

    /// The policy, or 404 naming what is missing.
    static func require(name: String, version: Int?, in catalog: PolicyCatalog) async throws -> Policy {
        if let policy = try await catalog.policy(name: name, version: version) { return policy }
        let detail = version.map { "policy \(name.prefix(64)) has no version \($0)" } ?? "no policy named \(name.prefix(64))"
        throw HTTPError(status: .notFound, detail: detail, problem: ProblemTypes.notFound)
    }
}
