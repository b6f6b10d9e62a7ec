/// What changed between two assessments of a site, with stable codes for history and
/// ticketing systems (a ticket opens on `appeared` and closes on `cleared` of one code).
public struct AssessmentChanges: Codable, Sendable, Equatable {
    public var verdict: VerdictChange?
    /// Sorted by finding code.
    public var findings: [FindingChange]

    public var isEmpty: Bool { verdict == nil && findings.isEmpty }

    public struct VerdictChange: Codable, Sendable, Equatable {
        /// `VERDICT_IMPROVED`, `VERDICT_DEGRADED`, `VERDICT_STALE` or `VERDICT_FRESH`.
        public var code: String
        public var from: Verdict?
        public var to: Verdict
    }

    public struct FindingChange: Codable, Sendable, Equatable {
        public var code: String
        public var ruleID: String
        public var change: Kind
        public var from: FindingStatus?
        public var to: FindingStatus?

        enum CodingKeys: String, CodingKey {
            case code, change, from, to
            case ruleID = "rule_id"
        }

        public enum Kind: String, Codable, Sendable {
            /// Became a problem (warn, fail or unknown) from pass or absent.
            case appeared
            /// Stopped being a problem.
            case cleared
            /// Still a problem, with another status (e.g. fail → warn).
            case changed
        }
    }

    /// Compares `previous` (nil for a site's first assessment) with `current`.
    public static func between(_ previous: SiteAssessment?, _ current: SiteAssessment) -> AssessmentChanges {
        AssessmentChanges(verdict: verdictChange(previous?.verdict, current.verdict),
                          findings: findingChanges(previous?.findings ?? [], current.findings))
    }

    static func verdictChange(_ from: Verdict?, _ to: Verdict) -> VerdictChange? {
        guard from != to else { return nil }
        let code: String
        switch (from?.rank, to.rank) {
        case (_, nil): code = "VERDICT_STALE"
        case (nil, _) where from == .stale: code = "VERDICT_FRESH"
        case let (old?, new?): code = new > old ? "VERDICT_IMPROVED" : "VERDICT_DEGRADED"
        default: code = "VERDICT_IMPROVED"  // first assessment: treat as news of a verdict
        }
        return VerdictChange(code: code, from: from, to: to)
    }

    static func findingChanges(_ previous: [Finding], _ current: [Finding]) -> [FindingChange] {
        // The usual case on every commit group: the same rules in the same order, no status
        // changed. Each code then maps to the same status before and after, so the general
        // comparison below would find nothing either.
        // By index: `zip` copied both findings of each pair (a dozen references each) out of
        // the arrays, once per site on every commit group.
        if previous.count == current.count,
           previous.indices.allSatisfy({ previous[$0].status == current[$0].status && previous[$0].code == current[$0].code }) {
            return []
        }
        func isProblem(_ status: FindingStatus?) -> Bool { status == .warn || status == .fail || status == .unknown }
        // Status and rule id only: copying whole findings (a dozen strings each) into the maps
        // cost more than the comparison, once per site on every commit group.
        var before: [String: (status: FindingStatus, ruleID: String)] = [:]
        before.reserveCapacity(previous.count)
        for finding in previous { before[finding.code] = (finding.status, finding.ruleID) }
        var after: [String: (status: FindingStatus, ruleID: String)] = [:]
        after.reserveCapacity(current.count)
        for finding in current { after[finding.code] = (finding.status, finding.ruleID) }
        var changes: [FindingChange] = []
        for code in Set(before.keys).union(after.keys).sorted() {
            let old = before[code]?.status
            let new = after[code]?.status
            let ruleID = after[code]?.ruleID ?? before[code]?.ruleID ?? ""
            switch (isProblem(old), isProblem(new)) {
            case (false, true): changes.append(.init(code: code, ruleID: ruleID, change: .appeared, from: old, to: new))
            case (true, false): changes.append(.init(code: code, ruleID: ruleID, change: .cleared, from: old, to: new))
            case (true, true) where old != new:
                changes.append(.init(code: code, ruleID: ruleID, change: .changed, from: old, to: new))
            default: break
            }
        }
        return changes
    }
}
