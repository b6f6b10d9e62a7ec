import Foundation

/// Who is calling: the token that authenticated the request and what it is bound to.
public struct Principal: Sendable, Equatable {
    public let tokenID: UUID
    public let scope: Scope
    /// Set for agent tokens only: the one site they act for.
    public let siteID: UUID?
    public let agentID: UUID?

    public init(tokenID: UUID, scope: Scope, siteID: UUID? = nil, agentID: UUID? = nil) {
        self.tokenID = tokenID
        self.scope = scope
        self.siteID = siteID
        self.agentID = agentID
    }

    /// Whether this caller may read `site`: read and admin tokens read every site, an agent
    /// only its own. Callers answer 404, not 403, when this is false, so that an agent cannot
    /// learn which other sites exist.
    func canRead(site: UUID) -> Bool {
        switch scope {
        case .admin, .read: true
        case .agent: siteID == site
        }
    }
}
