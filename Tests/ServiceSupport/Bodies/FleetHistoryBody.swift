/// `GET /v1/fleet/history`: counts of sites by verdict at the end of each bucket.
public struct FleetHistoryBody: Decodable, Sendable {
    public struct Point: Decodable, Sendable {
        /// Kept as the text the API wrote: the tests hold it to whole-second `Z` times.
        public let at: String
        public let optimal: Int
        public let minimal: Int
        public let notReady: Int
        public let insufficientData: Int
    }

    public let bucket: String
    public let points: [Point]
}
