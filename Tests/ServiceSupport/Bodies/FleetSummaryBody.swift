import Foundation

/// `GET /v1/fleet/summary`.
public struct FleetSummaryBody: Decodable, Sendable {
    public struct TopFinding: Decodable, Sendable {
        public let code: String
        public let siteCount: Int
        public let siteIds: [String]
    }

    public struct StaleSite: Decodable, Sendable {
        public let id: String
        public let name: String
        @PresentOrNull public var newestResultAt: Date?
    }

    public let siteCount: Int
    /// Sites by verdict, keyed as the API spells the verdicts (`not_ready`): a dictionary, so a
    /// test sees a verdict missing or one too many.
    public let byVerdict: [String: Int]
    public let topFindings: [TopFinding]
    public let staleSites: [StaleSite]
}
