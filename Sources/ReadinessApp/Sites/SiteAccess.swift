import JSON
import Foundation
import HTTPServer

extension AppContext {
    /// The site of a read operation (`GET /v1/sites/{site_id}`, its agents), for a caller any
    /// token let in (``RouteAccess/anyToken``).
    ///
    /// An agent token is bound to one site and holds no `read` scope. Asked about another site
    /// it gets 404, exactly as for a site that does not exist, so it cannot probe which sites
    /// exist; asked about its own site it gets the 403 its scope earns. The scope is checked
    /// through the authenticator, as before routes declared their access: that counts the
    /// request against the token's budget a second time, kept so that moving the check to the
    /// route changed no request's cost.
    func readableSite(_ idText: String?, by principal: Principal, for request: HTTPRequest) async throws -> SiteRecord {
        if principal.scope == .agent {
            guard let idText, let id = UUID(uuidString: idText), principal.canRead(site: id) else {
                throw SiteNotFound(idText)
            }
        }
        _ = try await authenticator.require(.read, for: request)
        return try await sites.require(idText, readableBy: principal)
    }

    /// The site of an admin operation (the route's access checked the scope before any lookup).
    func writableSite(_ idText: String?, by principal: Principal) async throws -> SiteRecord {
        let site = try await sites.require(idText, readableBy: principal)
        if let archivedAt = site.archivedAt { throw SiteProblems.archived(site.id, at: archivedAt) }
        return site
    }
}

enum SiteProblems {
    /// Archived sites are read-only (the OpenAPI document's `SiteArchived`).
    static func archived(_ id: UUID, at archivedAt: Date) -> HTTPError {
        HTTPError(
            status: .conflict,
            detail: "site \(id.apiString) was archived at \(RFC3339Timestamp.format(archivedAt)) and cannot be changed",
            problem: ProblemTypes.siteArchived)
    }
}
