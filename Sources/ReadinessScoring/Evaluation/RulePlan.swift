/// A compiled rule prepared once per `Policy` for the hot path (≥ 200,000 results/s on one
/// core): the finding's immutable fields sit in a template, and the `tiers` arrays of rules
/// whose thresholds do not depend on the site are built up front for every combination of
/// tier statuses. Building a finding is then a few retains of shared storage, not string
/// copies and an array allocation per rule.
final class RulePlan: Sendable {
    let rule: CompiledRule
    /// Id, code, kind, source, citation and remediation; the result-specific fields are filled per result.
    let template: Finding
    /// Indexed by `TierStatuses.tableIndex`; nil for `udp_timeout` and `bandwidth`, whose
    /// thresholds scale with the site's parameters.
    let outcomeTable: [[TierOutcome]]?
    /// The rule's destinations compiled for matching hosts.
    let destinations: HostPatterns

    init(_ rule: CompiledRule) {
        self.rule = rule
        template = Finding(
            ruleID: rule.id, code: rule.code, kind: rule.kind, status: .pass, blocks: nil,
            observed: Observed(unit: rule.kind.unit), tiers: [], source: rule.source,
            citation: rule.citation, remediation: rule.remediation, confidence: nil
        )
        destinations = HostPatterns(rule.destinations)
        outcomeTable = Self.outcomeTable(rule)
    }

    private static func outcomeTable(_ rule: CompiledRule) -> [[TierOutcome]]? {
        // The compiler rejects repeated tiers, so a rule gates at most every tier once.
        guard rule.kind != .udpTimeout, rule.kind != .bandwidth, rule.tiers.count <= Tier.allCases.count else { return nil }
        let statuses = FindingStatus.allCases
        let combinations = rule.tiers.reduce(1) { count, _ in count * statuses.count }
        return (0..<combinations).map { index in
            var rest = index
            return rule.tiers.map { tier in
                let status = statuses[rest % statuses.count]
                rest /= statuses.count
                let threshold = rule.kind.isLowerBetterMetric
                    ? Threshold(comparison: tier.comparison, value: tier.value, unit: rule.kind.unit) : nil
                return TierOutcome(tier: tier.tier, status: status, threshold: threshold, source: tier.source)
            }
        }
    }

    /// Whether a probe's host is one of the rule's destinations.
    func matches(_ host: String) -> Bool {
        if destinations.matchesAnyHost { return true }
        return HostBytes.with(host) { destinations.matches($0) }
    }
}
