import JSON
import Foundation
import ReadinessScoring

/// The API's `SiteAssessment` (openapi draft 0.2.0), built from the domain assessment. Kept
/// apart from the domain type so the stored JSONB can stay the domain's own shape. Declared
/// once (`ResponseBytesTests.assessmentAnswer`); required members are written as null rather
/// than left out (the draft's `required`).
struct SiteAssessmentDocument: Sendable {
    let siteID: UUID
    let assessment: SiteAssessment

    struct Confidence: Sendable {
        let resultCount: Int
        let agentCount: Int
        let newestResultAt: String?
        let oldestResultAt: String?
        let dataAgeS: Double?
    }

    struct Window: Sendable {
        let from: String
        let to: String
    }

    var confidence: Confidence {
        let assessedAt = RFC3339Timestamp.parse(assessment.assessedAt) ?? Date(timeIntervalSince1970: 0)
        let newest = assessment.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }
        return Confidence(
            resultCount: assessment.runs, agentCount: assessment.agents,
            newestResultAt: assessment.newestResultAt, oldestResultAt: assessment.oldestResultAt,
            dataAgeS: newest.map { max(0, assessedAt.timeIntervalSince($0)) })
    }

    var window: Window {
        let assessedAt = RFC3339Timestamp.parse(assessment.assessedAt) ?? Date(timeIntervalSince1970: 0)
        return Window(from: RFC3339Timestamp.format(assessedAt.addingTimeInterval(-assessment.windowS)), to: assessment.assessedAt)
    }

    /// A stale site shows the verdict of the newest data it ever sent; any other its verdict.
    var lastVerdict: Verdict? { assessment.verdict == .stale ? assessment.lastVerdict : assessment.verdict }
}

extension SiteAssessmentDocument: JSONObject, JSONWritable {
    static let members: JSONMembers<SiteAssessmentDocument> = [
        JSONMember("site_id", \.siteID),
        JSONMember("policy") { PolicyReference(name: $0.assessment.policy, version: $0.assessment.policyVersion) },
        JSONMember("verdict") { $0.assessment.verdict.rawValue },
        JSONMember("last_verdict") { $0.lastVerdict?.rawValue },
        JSONMember("score", \.assessment.score),
        JSONMember("findings", \.assessment.findings),
        JSONMember("mos") { $0.assessment.mos?.value },
        JSONMember("capacity", \.assessment.capacity),
        JSONMember("transport") { $0.assessment.transport?.rawValue },
        JSONMember("confidence", \.confidence),
        JSONMember("window", \.window),
        JSONMember("assessed_at", \.assessment.assessedAt),
        JSONMember("site", \.assessment.site),
        JSONMember("figures", \.assessment.figures),
    ]

    /// Findings make most of it: some 700 bytes each.
    var estimatedJSONSize: Int { 1024 + assessment.findings.count * 768 }
}

extension SiteAssessmentDocument.Confidence: JSONObject {
    static let members: JSONMembers<Self> = [
        JSONMember("result_count", \.resultCount),
        JSONMember("agent_count", \.agentCount),
        JSONMember("newest_result_at", \.newestResultAt),
        JSONMember("oldest_result_at", \.oldestResultAt),
        JSONMember("data_age_s", \.dataAgeS),
    ]
}

extension SiteAssessmentDocument.Window: JSONObject {
    static let members: JSONMembers<Self> = [
        JSONMember("from", \.from),
        JSONMember("to", \.to),
    ]
}
