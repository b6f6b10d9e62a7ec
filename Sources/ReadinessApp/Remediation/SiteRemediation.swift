import Foundation
import ReadinessScoring

/// One site's change request as the API serves it (openapi `SiteRemediation`): the site, then
/// the domain's `ChangeRequest` members beside it.
struct SiteRemediation: Encodable, Sendable, Equatable {
    var siteID: String
    var siteName: String
    var request: ChangeRequest

    enum CodingKeys: String, CodingKey {
        case siteID = "site_id"
        case siteName = "site_name"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(siteID, forKey: .siteID)
        try container.encode(siteName, forKey: .siteName)
        try request.encode(to: encoder)
    }
}
