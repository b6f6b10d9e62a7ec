import Foundation

/// One row of `GET /v1/assessments`: a site's current assessment, flattened.
public struct FleetAssessmentBody: Decodable, Sendable {
    /// Kept as text: the tests hold the API to lower-case UUIDs.
    public let siteId: String
    public let siteName: String
    @PresentOrNull public var region: String?
    public let verdict: String
    @PresentOrNull public var score: Int?
    @PresentOrNull public var mos: Double?
    @PresentOrNull public var transport: String?
    public let findingCodes: [String]
    @PresentOrNull public var newestResultAt: Date?
}
