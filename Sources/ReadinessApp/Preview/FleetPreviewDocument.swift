import Foundation
import ReadinessScoring

/// The body of `POST /v1/policies/{policy_name}/preview` (openapi `FleetPreview`): the fleet's
/// verdicts before and after, the findings appearing and clearing, and one page of the sites
/// whose verdict changes (`items`, `next_cursor`, as the fleet listing pages).
struct FleetPreviewDocument: Encodable, Sendable {
    var policy: String
    /// The stored version previewed; nil for a candidate document.
    var candidateVersion: Int?
    var assessedAt: Date
    var sites: Int
    var changedSites: Int
    var verdictsBefore: VerdictCounts
    var verdictsAfter: VerdictCounts
    var findingsAppearing: [CodeCount]
    var findingsClearing: [CodeCount]
    /// Candidate rules that no current rule observes alike: the runs were decoded from their bodies for them.
    var rulesReadFromBodies: [String]
    var resultsReadFromBodies: Int
    var items: [PreviewedSite]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case policy, sites, items
        case candidateVersion = "candidate_version"
        case assessedAt = "assessed_at"
        case changedSites = "changed_sites"
        case verdictsBefore = "verdicts_before"
        case verdictsAfter = "verdicts_after"
        case findingsAppearing = "findings_appearing"
        case findingsClearing = "findings_clearing"
        case rulesReadFromBodies = "rules_read_from_bodies"
        case resultsReadFromBodies = "results_read_from_bodies"
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(candidateVersion, forKey: .candidateVersion)  // null for a document, never absent
        try container.encode(assessedAt, forKey: .assessedAt)
        try container.encode(sites, forKey: .sites)
        try container.encode(changedSites, forKey: .changedSites)
        try container.encode(verdictsBefore, forKey: .verdictsBefore)
        try container.encode(verdictsAfter, forKey: .verdictsAfter)
        try container.encode(findingsAppearing, forKey: .findingsAppearing)
        try container.encode(findingsClearing, forKey: .findingsClearing)
        try container.encode(rulesReadFromBodies, forKey: .rulesReadFromBodies)
        try container.encode(resultsReadFromBodies, forKey: .resultsReadFromBodies)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    struct VerdictCounts: Encodable, Sendable, Equatable {
        var optimal = 0, minimal = 0, notReady = 0, insufficientData = 0, stale = 0

        init(_ counts: [Verdict: Int]) {
            optimal = counts[.optimal] ?? 0
            minimal = counts[.minimal] ?? 0
            notReady = counts[.notReady] ?? 0
            insufficientData = counts[.insufficientData] ?? 0
            stale = counts[.stale] ?? 0
        }

        enum CodingKeys: String, CodingKey {
            case optimal, minimal, stale
            case notReady = "not_ready"
            case insufficientData = "insufficient_data"
        }
    }

    struct CodeCount: Encodable, Sendable, Equatable {
        var code: String
        var sites: Int

        /// Most sites first, then by code, so equal previews answer equal bytes.
        static func list(_ counts: [String: Int]) -> [CodeCount] {
            counts.map { CodeCount(code: $0.key, sites: $0.value) }.sorted { ($1.sites, $0.code) < ($0.sites, $1.code) }
        }
    }
}

/// A site whose verdict the candidate changes, with the findings that change with it.
struct PreviewedSite: Encodable, Sendable {
    var siteID: UUID
    var siteName: String
    var region: String?
    var before: Side
    var after: Side
    var findings: [Change]

    init(siteID: UUID, name: String, region: String?, preview: SitePreview) {
        self.siteID = siteID
        siteName = name
        self.region = region
        before = Side(preview.before)
        after = Side(preview.after)
        findings = preview.causes.map {
            Change(ruleID: $0.ruleID, code: $0.code, before: $0.before, after: $0.after, blocksBefore: $0.blocksBefore, blocksAfter: $0.blocksAfter)
        }
    }

    enum CodingKeys: String, CodingKey {
        case region, before, after, findings
        case siteID = "site_id"
        case siteName = "site_name"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(siteID.uuidString.lowercased(), forKey: .siteID)
        try container.encode(siteName, forKey: .siteName)
        try container.encode(region, forKey: .region)
        try container.encode(before, forKey: .before)
        try container.encode(after, forKey: .after)
        try container.encode(findings, forKey: .findings)
    }

    struct Side: Encodable, Sendable {
        var verdict: Verdict
        var score: Int?

        init(_ assessment: SiteAssessment) {
            verdict = assessment.verdict
            score = assessment.score
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(verdict, forKey: .verdict)
            try container.encode(score, forKey: .score)  // null when stale, never absent
        }

        enum CodingKeys: String, CodingKey { case verdict, score }
    }

    /// A finding's status and blocked tier before and after; null where the rule is absent
    /// (status) or blocks no tier.
    struct Change: Encodable, Sendable {
        var ruleID: String
        var code: String
        var before: FindingStatus?
        var after: FindingStatus?
        var blocksBefore: Tier?
        var blocksAfter: Tier?

        enum CodingKeys: String, CodingKey {
            case code, before, after
            case ruleID = "rule_id"
            case blocksBefore = "blocks_before"
            case blocksAfter = "blocks_after"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ruleID, forKey: .ruleID)
            try container.encode(code, forKey: .code)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(blocksBefore, forKey: .blocksBefore)
            try container.encode(blocksAfter, forKey: .blocksAfter)
        }
    }
}
