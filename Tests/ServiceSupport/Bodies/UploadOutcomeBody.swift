/// The answer to one uploaded result (`POST /v1/results`), alone or as one of a batch's.
public struct UploadOutcomeBody: Decodable, Sendable {
    /// The headline of the result's assessment.
    public struct Summary: Decodable, Sendable {
        public let verdict: String
        @PresentOrNull public var score: Int?
        public let findingCodes: [String]
    }

    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let runId: String
    public let siteId: String
    /// `created` or `duplicate`.
    public let status: String
    public let assessment: Summary
}
