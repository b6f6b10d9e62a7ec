/// The policy a site is scored by, or that made an assessment: a name and a version (null on
/// a site that follows the newest version).
public struct ScoringPolicyRef: Decodable, Sendable {
    public let name: String
    @PresentOrNull public var version: Int?
}
