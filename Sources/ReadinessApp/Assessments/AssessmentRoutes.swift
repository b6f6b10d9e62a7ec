import Foundation
import HTTPServer
import ReadinessDomain

/// `GET /v1/sites/{site_id}/assessment`: the site's current assessment, conditional on its
/// ETag (RFC 9110 §13.1.2: If-None-Match → 304 while nothing changed).
struct AssessmentRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {
        router.get("/v1/sites/{site_id}/assessment") { [context] request, requestContext async throws -> HTTPResponse in
            let principal = try await context.authenticator.require(.read, for: request)
            return try await DatabaseErrors.mapped {
                let site = try await context.sites.require(requestContext.parameters["site_id"], readableBy: principal)
                let now = context.clock()
                let (document, etag) = try await Self.current(site: site, now: now, context: context)
                if ETagMatch.matches(request.headers["if-none-match"], etag: etag) {
                    return HTTPResponse(status: HTTPStatus(304), headers: ["ETag": etag])
                }
                return try APIJSON.response(document, headers: ["ETag": etag])
            }
        }
    }

    /// The stored assessment as of `now`; for a site that never sent a result, an empty
    /// (stale) one under its policy.
    static func current(site: SiteRecord, now: Date, context: AppContext) async throws -> (SiteAssessmentDocument, String) {
        if let stored = try await StoredSiteAssessment.load(site: site.id, from: context.database) {
            let current = stored.assessment.asOf(now)
            // Turning stale changes the representation, so it changes the tag.
            let tag = current.verdict == stored.assessment.verdict ? stored.etag : stored.etag + "-stale"
            return (SiteAssessmentDocument(siteID: site.id, assessment: current), "\"\(tag)\"")
        }
        guard let policy = try await context.policies.policy(name: site.policyName, version: site.policyVersion) else {
            throw HTTPError(status: .internalServerError, detail: "the site's policy is not available")
        }
        let empty = policy.assess([], site: site.parameters, now: now)
        let tag = "empty-\(policy.name)-\(policy.version)-\(Int(site.updatedAt.timeIntervalSince1970))"
        return (SiteAssessmentDocument(siteID: site.id, assessment: empty), "\"\(tag)\"")
    }
}

/// If-None-Match (RFC 9110 §13.1.2) uses the weak comparison: `W/` prefixes are ignored, `*`
/// matches any current representation.
enum ETagMatch {
    static func matches(_ header: String?, etag: String) -> Bool {
        guard let header else { return false }
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
