import JSON
import Foundation
import ReadinessScoring

/// The API's `SiteAssessment` (openapi draft 0.2.0), built from the domain assessment. Kept
/// apart from the domain type so the stored JSONB can stay the domain's own shape.
struct SiteAssessmentDocument: Encodable, Sendable {
    struct PolicyRef: Encodable, Sendable {
        let name: String
        let version: Int
    }

    struct Confidence: Encodable, Sendable {
        let resultCount: Int
        let agentCount: Int
        let newestResultAt: String?
        let oldestResultAt: String?
        let dataAgeS: Double?

        enum CodingKeys: String, CodingKey {
            case resultCount = "result_count", agentCount = "agent_count", newestResultAt = "newest_result_at"
            case oldestResultAt = "oldest_result_at", dataAgeS = "data_age_s"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resultCount, forKey: .resultCount)
            try container.encode(agentCount, forKey: .agentCount)
            try container.encode(newestResultAt, forKey: .newestResultAt)
            try container.encode(oldestResultAt, forKey: .oldestResultAt)
            try container.encode(dataAgeS, forKey: .dataAgeS)
        }
    }

    struct Window: Encodable, Sendable {
        let from: String
        let to: String
    }

    let siteID: UUID
    let assessment: SiteAssessment

    enum CodingKeys: String, CodingKey {
        case policy, verdict, score, findings, mos, capacity, transport, confidence, window, site, figures
        case siteID = "site_id", lastVerdict = "last_verdict", assessedAt = "assessed_at"
    }

    func encode(to encoder: any Encoder) throws {
        let assessedAt = RFC3339Timestamp.parse(assessment.assessedAt) ?? Date(timeIntervalSince1970: 0)
        let newest = assessment.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Required members are written as null rather than left out (the draft's `required`).
        try container.encode(siteID.uuidString.lowercased(), forKey: .siteID)
        try container.encode(PolicyRef(name: assessment.policy, version: assessment.policyVersion), forKey: .policy)
        try container.encode(assessment.verdict, forKey: .verdict)
        let last = assessment.verdict == .stale ? assessment.lastVerdict : assessment.verdict
        try container.encode(last, forKey: .lastVerdict)
        try container.encode(assessment.score, forKey: .score)
        try container.encode(assessment.findings, forKey: .findings)
        try container.encode(assessment.mos?.value, forKey: .mos)
        try container.encode(assessment.capacity, forKey: .capacity)
        try container.encode(assessment.transport, forKey: .transport)
        try container.encode(Confidence(
            resultCount: assessment.runs, agentCount: assessment.agents,
            newestResultAt: assessment.newestResultAt, oldestResultAt: assessment.oldestResultAt,
            dataAgeS: newest.map { max(0, assessedAt.timeIntervalSince($0)) }), forKey: .confidence)
        try container.encode(Window(
            from: RFC3339Timestamp.format(assessedAt.addingTimeInterval(-assessment.windowS)),
            to: assessment.assessedAt), forKey: .window)
        try container.encode(assessment.assessedAt, forKey: .assessedAt)
        try container.encode(assessment.site, forKey: .site)
        try container.encode(assessment.figures, forKey: .figures)
    }
}
