import Foundation
import HTTPServer
import ReadinessScoring

/// `POST /v1/policies/{policy_name}/preview` (scope admin): what a candidate document or a
/// stored version would do to the fleet, computed from stored runs and stored nowhere.
struct PreviewRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        router.post("/v1/policies/{policy_name}/preview", access: .admin) { [context] request, principal, route in
            let name = route.parameters["policy_name"] ?? ""
            let filter = try PreviewFilter(request)
            let pageRequest = try PageRequest(request)
            let after = try pageRequest.after(as: UUID.init(uuidString:))
            // 404 for an unknown policy comes before 422 for the body, as for `…/evaluate`.
            guard PolicyInput.isValidName(name), try await context.policies.policy(name: name, version: nil) != nil else {
                throw HTTPError(status: .notFound, detail: "no policy is named \(name.prefix(64))", problem: ProblemTypes.notFound)
            }
            let candidate: Policy
            var candidateVersion: Int?
            switch try PreviewCandidate.read(request, name: name) {
            case let .version(version):
                guard let stored = try await context.policies.policy(name: name, version: version) else {
                    throw HTTPError(status: .notFound, detail: "policy \(name) has no version \(version)", problem: ProblemTypes.notFound)
                }
                candidate = stored
                candidateVersion = version
            case let .document(document):
                candidate = document
            }
            let now = context.clock()
            let previewer = FleetPreviewer(database: context.database, policies: context.policies, name: name, candidate: candidate, now: now)
            let outcome = try await previewer.run(filter: filter, after: after, limit: pageRequest.limit)
            let page = Page(fetched: outcome.changed, limit: pageRequest.limit) { $0.siteID.uuidString.lowercased() }
            context.logger.info("policy previewed", metadata: [
                "policy": "\(name)", "candidate_version": "\(candidateVersion.map(String.init) ?? "document")",
                "sites": "\(outcome.tally.sites)", "changed": "\(outcome.tally.changed)", "by_token_id": "\(principal.tokenID)",
            ])
            // The same `Link` the fleet listing sends; the client posts the same body to it.
            var response = try page.response(for: request)
            if FleetCSV.isRequested(request) {
                response.body = Array(PreviewCSV.body(page.items).utf8)
                response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
                return response
            }
            let document = FleetPreviewDocument(
                policy: name, candidateVersion: candidateVersion, assessedAt: now, sites: outcome.tally.sites,
                changedSites: outcome.tally.changed, verdictsBefore: .init(outcome.tally.before),
                verdictsAfter: .init(outcome.tally.after),
                findingsAppearing: FleetPreviewDocument.CodeCount.list(outcome.tally.appearing),
                findingsClearing: FleetPreviewDocument.CodeCount.list(outcome.tally.clearing),
                rulesReadFromBodies: outcome.rulesReadFromBodies.sorted(), resultsReadFromBodies: outcome.resultsReadFromBodies,
                items: page.items, nextCursor: page.nextCursor)
            var headers: HTTPHeaders = [:]
            if let link = response.headers["Link"] { headers["Link"] = link }
            return try APIJSON.response(document, headers: headers)
        }
        // A fleet is previewed in one request: 10,000 sites take seconds (`make bench-preview`),
        // near the default deadline meant for ordinary requests. Each of its statements stays
        // short (a batch of sites), so the connections' statement timeout still holds.
        router.setDeadline(max(Self.deadline, context.configuration.limits.requestDeadline),
                           for: .post, "/v1/policies/{policy_name}/preview")
    }

    /// The preview's own request deadline.
    static let deadline: Duration = .seconds(120)
}
