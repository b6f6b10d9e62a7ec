/// `GET /v1/sites/{id}/history`.
public struct SiteHistoryBody: Decodable, Sendable {
    /// One result (`raw`) or one bucket starting at `at`. Figures are null when unmeasured.
    public struct Point: Decodable, Sendable {
        /// Kept as the text the API wrote: the tests hold it to whole-second `Z` times.
        public let at: String
        public let verdict: String
        @PresentOrNull public var score: Int?
        @PresentOrNull public var rttMsP50: Double?
        @PresentOrNull public var downKbps: Double?
        public let resultCount: Int
    }

    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let siteId: String
    public let bucket: String
    public let points: [Point]
}
