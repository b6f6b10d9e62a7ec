import Foundation
import HTTPServer
import ReadinessDomain

extension AppContext {
    /// The site of a read operation (`GET /v1/sites/{site_id}`, its agents) and the caller.
    ///
    /// An agent token is bound to one site and holds no `read` scope. Asked about another site
    /// it gets 404, exactly as for a site that does not exist, so it cannot probe which sites
    /// exist; asked about its own site it gets the 403 its scope earns.
    func requireReadableSite(_ idText: String?, for request: HTTPRequest) async throws -> (Principal, SiteRecord) {
        let principal = try await authenticator.authenticate(request)
        if principal.scope == .agent {
            guard let idText, let id = UUID(uuidString: idText), principal.canRead(site: id) else {
                throw SiteDirectory.notFound(idText)
            }
        }
        _ = try await authenticator.require(.read, for: request)
        return (principal, try await sites.require(idText, readableBy: principal))
    }

    /// The site of an admin operation; 403 before any lookup for a narrower token.
    func requireWritableSite(_ idText: String?, for request: HTTPRequest) async throws -> (Principal, SiteRecord) {
        let principal = try await authenticator.require(.admin, for: request)
        let site = try await sites.require(idText, readableBy: principal)
        if let archivedAt = site.archivedAt { throw SiteProblems.archived(site.id, at: archivedAt) }
        return (principal, site)
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
