import JSON

/// The body of `POST /v1/sites/{id}/rescore` (openapi `RescoreResult`), declared once
/// (`ResponseBytesTests.rescoreAnswer`).
struct RescoreResult: Sendable {
    var siteID: String
    var policy: PolicyReference
    var bucket: HistoryBucket
    var points: [HistoryPoint]
    /// In the API's shape, as `GET …/assessment` answers (openapi `SiteAssessment`).
    var assessment: SiteAssessmentDocument
}

extension RescoreResult: JSONObject, JSONWritable {
    static let members: JSONMembers<RescoreResult> = [
        JSONMember("site_id", \.siteID),
        JSONMember("policy", \.policy),
        JSONMember("bucket") { $0.bucket.rawValue },
        JSONMember("points", \.points),
        JSONMember("assessment", \.assessment),
    ]

    /// A raw rescore can hold thousands of points (some 200 bytes each), written in place.
    var estimatedJSONSize: Int { assessment.estimatedJSONSize + points.count * 224 }
}
