import Foundation
import HTTPServer

/// `POST /v1/results` (one result or a batch, agents only) and `GET /v1/results/{run_id}`.
struct ResultsRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        let ingest = ResultIngest(context: context)
        // A large upload's token is checked before its body is read (up to 16 MiB per
        // connection otherwise); the handler checks it again (from the token cache, or in a
        // Task when not cached) along with the site.
        // Deferred: a typical upload is answered from the group-commit writer's thread, with
        // no Task on the way in or out (ResultIngest).
        router.on(.post, "/v1/results", access: .agent, bodyLimit: UploadBody.limit, deferred: { request, requestContext, sink in
            ingest.upload(request, deadline: requestContext.deadline, answer: sink)
        })
        // Agents read the results of their own site (any other is not found for them).
        let readers = RouteAccess.anyOf([.read, .agent], forbidden: "this operation needs a token with the 'read' scope")
        router.get("/v1/results/{run_id}", access: readers) { [context] request, principal, requestContext in
            let text = requestContext.parameters["run_id"] ?? ""
            guard let runID = UUID(uuidString: text) else {
                // The draft answers a malformed path parameter with 400, not 422.
                throw HTTPError(
                    status: .badRequest, detail: "run_id must be a UUID", problem: ProblemTypes.invalidRequest,
                    extensions: ["errors": .array([["pointer": "/run_id", "detail": "must be a UUID"]])])
            }
            // A result of a site the caller may not read does not exist for it (404, not 403).
            guard let stored = try await StoredResult.load(runID, from: context.database, policies: context.policies),
                  principal.canRead(site: stored.siteID)
            else {
                throw HTTPError(
                    status: .notFound, detail: "no result with run_id \(runID.uuidString.lowercased())",
                    problem: ProblemTypes.notFound)
            }
            var response = HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: stored.json())
            response.headers["Cache-Control"] = "private, max-age=0"
            return response
        }
    }
}
