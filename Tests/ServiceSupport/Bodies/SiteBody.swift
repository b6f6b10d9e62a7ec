import Foundation

/// A site as `GET /v1/sites/{id}` (and the writes that answer with the site) return it.
public struct SiteBody: Decodable, Sendable {
    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let id: String
    public let name: String
    @PresentOrNull public var region: String?
    public let timezone: String
    public let tags: [String]
    public let expectedUsers: Int
    public let longestCallS: Int
    public let policy: ScoringPolicyRef
    @PresentOrNull public var archivedAt: Date?
}
