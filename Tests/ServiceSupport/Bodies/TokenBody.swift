import Foundation

/// An API token without its secret, as listed by `GET /v1/tokens`.
public struct TokenBody: Decodable, Sendable {
    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let id: String
    public let name: String
    public let scope: String
    @PresentOrNull public var siteId: String?
    /// Kept as the text the API wrote: a test checks it comes back as it was sent.
    @PresentOrNull public var expiresAt: String?
    @PresentOrNull public var lastUsedAt: Date?
    @PresentOrNull public var revokedAt: Date?
}
