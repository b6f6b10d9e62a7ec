/// `GET /v1/sites/{id}/assessment`: the site scored over the results in its freshness window.
public struct SiteAssessmentBody: Decodable, Sendable {
    /// How much data stands behind the assessment.
    public struct Confidence: Decodable, Sendable {
        public let resultCount: Int
    }

    /// The site parameters the results were scored with.
    public struct Parameters: Decodable, Sendable {
        public let expectedConcurrentUsers: Int
    }

    public let siteId: String
    public let policy: ScoringPolicyRef
    public let verdict: String
    /// The verdict of the newest data the site ever sent: null if it never sent any.
    @PresentOrNull public var lastVerdict: String?
    @PresentOrNull public var score: Int?
    public let findings: [FindingBody]
    public let confidence: Confidence
    /// Optional in the schema.
    public let site: Parameters?
}
