import Foundation
import ReadinessScoring

/// The body of `POST /v1/policies/{policy_name}/preview` (openapi `FleetPreview`): the fleet's
/// verdicts before and after, the findings appearing and clearing, and one page of the sites
/// whose verdict changes (`items`, `next_cursor`, as the fleet listing pages). Its shape and
/// its parts' are declared in `FleetPreviewDocument+JSON`.
struct FleetPreviewDocument: Sendable {
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

    struct VerdictCounts: Sendable, Equatable {
        var optimal = 0, minimal = 0, notReady = 0, insufficientData = 0, stale = 0

        init(_ counts: [Verdict: Int]) {
            optimal = counts[.optimal] ?? 0
            minimal = counts[.minimal] ?? 0
            notReady = counts[.notReady] ?? 0
            insufficientData = counts[.insufficientData] ?? 0
            stale = counts[.stale] ?? 0
        }
    }

    struct CodeCount: Sendable, Equatable {
        var code: String
        var sites: Int

        /// Most sites first, then by code, so equal previews answer equal bytes.
        static func list(_ counts: [String: Int]) -> [CodeCount] {
            counts.map { CodeCount(code: $0.key, sites: $0.value) }.sorted { ($1.sites, $0.code) < ($0.sites, $1.code) }
        }
    }
}

/// A site whose verdict the candidate changes, with the findings that change with it.
struct PreviewedSite: Sendable {
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

    struct Side: Sendable {
        var verdict: Verdict
        var score: Int?

        init(_ assessment: SiteAssessment) {
            verdict = assessment.verdict
            score = assessment.score
        }
    }

    /// A finding's status and blocked tier before and after; null where the rule is absent
    /// (status) or blocks no tier.
    struct Change: Sendable {
        var ruleID: String
        var code: String
        var before: FindingStatus?
        var after: FindingStatus?
        var blocksBefore: Tier?
        var blocksAfter: Tier?
    }
}
