import Foundation

/// An agent registered to a site, as registering and `GET /v1/sites/{id}/agents` show it.
public struct SiteAgentBody: Decodable, Sendable {
    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let id: String
    public let siteId: String
    public let name: String
    @PresentOrNull public var revokedAt: Date?
    @PresentOrNull public var lastSeenAt: Date?
}
