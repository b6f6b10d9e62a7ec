import Foundation
import HTTPServer

/// What-if scoring (scope read), neither of which stores anything:
/// `POST /v1/policies/{policy_name}/evaluate` scores one posted result;
/// `POST /v1/sites/{site_id}/rescore` re-scores a site's stored history.
struct WhatIfRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        router.post("/v1/policies/{policy_name}/evaluate", access: .read) { [context] request, _, requestContext in
            let version = try PolicyLookup.version(request)
            let name = requestContext.parameters["policy_name"] ?? ""
            // 404 for an unknown policy comes before 422 for the body: the target decides
            // whether the body can mean anything at all.
            let policy = try await PolicyLookup.require(name: name, version: version, in: context.policies)
            let input = try EvaluateRequest(request, now: context.clock())
            return try APIJSON.response(policy.evaluate(input.result, site: input.site))
        }

        router.post("/v1/sites/{site_id}/rescore", access: .read) { [context] request, principal, requestContext in
            let version = try PolicyLookup.version(request)
            let now = context.clock()
            let range = try TimeRange(request, now: now)
            let bucket = try HistoryBucket.parse(request)
            let site = try await context.sites.require(requestContext.parameters["site_id"], readableBy: principal)
            let policy = try await PolicyLookup.require(
                name: request.query["policy"] ?? site.policyName, version: version, in: context.policies)
            let rescorer = Rescorer(database: context.database, policy: policy, site: site)
            let result = RescoreResult(
                siteID: site.id.uuidString.lowercased(),
                policy: .init(name: policy.name, version: policy.version), bucket: bucket,
                points: try await rescorer.points(range: range, bucket: bucket),
                assessment: SiteAssessmentDocument(siteID: site.id, assessment: try await rescorer.assessment(now: now)))
            return try APIJSON.response(result)
        }
    }
}
