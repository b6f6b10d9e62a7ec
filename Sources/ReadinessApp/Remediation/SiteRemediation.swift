import Foundation
import JSON
import ReadinessScoring

/// One site's change request as the API serves it (openapi `SiteRemediation`): the site, then
/// the domain's `ChangeRequest` members beside it, declared once (`ResponseBytesTests.remediationAnswer`).
struct SiteRemediation: Sendable, Equatable {
    var siteID: String
    var siteName: String
    var request: ChangeRequest
}

extension SiteRemediation: JSONObject, JSONWritable {
    static let members: JSONMembers<SiteRemediation> = [
        JSONMember("site_id", \.siteID),
        JSONMember("site_name", \.siteName),
        JSONMember("policy", \.request.policy),
        JSONMember("policy_version", \.request.policyVersion),
        JSONMember("verdict") { $0.request.verdict.rawValue },
        JSONMember("assessed_at", \.request.assessedAt),
        JSONMember("minimal", \.request.minimal),
        JSONMember("optimal", \.request.optimal),
        JSONMember("to_verify", \.request.toVerify),
    ]
}
