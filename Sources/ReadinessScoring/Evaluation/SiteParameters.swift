/// What a site's administrator tells us about the site, used by rules whose threshold
/// depends on the site (bandwidth scales with users; the UDP timeout with the longest call).
public struct SiteParameters: Codable, Sendable, Equatable, Hashable {
    public var expectedConcurrentUsers: Int
    public var longestCallS: Double

    enum CodingKeys: String, CodingKey {
        case expectedConcurrentUsers = "expected_concurrent_users"
        case longestCallS = "longest_call_s"
    }

    public init(expectedConcurrentUsers: Int, longestCallS: Double) {
        self.expectedConcurrentUsers = max(0, expectedConcurrentUsers)
        self.longestCallS = max(0, longestCallS)
    }
}
