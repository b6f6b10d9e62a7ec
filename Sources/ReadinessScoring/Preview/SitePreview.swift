/// One site under the current policy and under the candidate, and what differs.
public struct SitePreview: Sendable {
    public let before: SiteAssessment
    public let after: SiteAssessment

    public var verdictChanged: Bool { before.verdict != after.verdict }

    /// Codes that warn or fail under the candidate and did not before.
    public var appearing: [String] {
        let old = Set(before.problemCodes)
        return Self.unique(after.problemCodes.filter { !old.contains($0) })
    }

    /// Codes that warned or failed before and do not under the candidate.
    public var clearing: [String] {
        let new = Set(after.problemCodes)
        return Self.unique(before.problemCodes.filter { !new.contains($0) })
    }

    /// The findings whose status or blocked tier differs (or that exist under one policy only),
    /// in the candidate's rule order, then the current rules the candidate dropped: what moves
    /// the verdict (a failing RTT that blocked the optimal tier and now blocks the minimal one
    /// fails either way, but moves the site from minimal to not ready).
    public var causes: [FindingChange] {
        var changes: [FindingChange] = []
        var seen = Set<String>()
        for finding in after.findings {
            seen.insert(finding.ruleID)
            let old = before.findings.first { $0.ruleID == finding.ruleID && $0.code == finding.code }
            if old?.status != finding.status || old?.blocks != finding.blocks {
                changes.append(FindingChange(ruleID: finding.ruleID, code: finding.code, before: old?.status, after: finding.status,
                                             blocksBefore: old?.blocks, blocksAfter: finding.blocks))
            }
        }
        for finding in before.findings where !seen.contains(finding.ruleID) {
            changes.append(FindingChange(ruleID: finding.ruleID, code: finding.code, before: finding.status, after: nil,
                                         blocksBefore: finding.blocks, blocksAfter: nil))
        }
        return changes
    }

    private static func unique(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }
}

/// A finding whose status or blocked tier the candidate changes; statuses are nil on the side
/// where the rule is absent, `blocks` nil where it blocks no tier.
public struct FindingChange: Sendable, Equatable {
    public let ruleID: String
    public let code: String
    public let before: FindingStatus?
    public let after: FindingStatus?
    public let blocksBefore: Tier?
    public let blocksAfter: Tier?
}
