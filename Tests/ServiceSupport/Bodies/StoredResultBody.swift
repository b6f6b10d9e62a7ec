/// `GET /v1/results/{run_id}`: a stored result with the assessment made at upload.
public struct StoredResultBody: Decodable, Sendable {
    /// The uploaded result as stored; only what the tests read.
    public struct Result: Decodable, Sendable {
        public struct Reachability: Decodable, Sendable {
            public let reachable: Bool
            public let error: String?
        }

        public let runId: String
        public let reachability: [Reachability]
    }

    /// The result scored against one policy version.
    public struct Assessment: Decodable, Sendable {
        public let verdict: String
        public let findings: [FindingBody]
    }

    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let siteId: String
    public let agentId: String
    public let result: Result
    public let assessment: Assessment
}
