extension RulePlan {
    /// The public finding for a judgement: the template plus the result-specific fields.
    func finding(_ judgement: Judgement, site: SiteParameters) -> Finding {
        var finding = template
        fill(&finding, judgement, site: site)
        return finding
    }

    /// Appends the finding to `findings` and fills it in place: a `Finding` is some 200 bytes
    /// of strings and arrays, and returning one copied it (retains and a memcpy) per rule.
    func appendFinding(_ judgement: Judgement, site: SiteParameters, to findings: inout [Finding]) {
        findings.append(template)
        fill(&findings[findings.count - 1], judgement, site: site)
    }

    private func fill(_ finding: inout Finding, _ judgement: Judgement, site: SiteParameters) {
        finding.status = judgement.statuses.overall
        finding.blocks = judgement.statuses.blocks
        finding.observed = judgement.observed
        finding.hosts = judgement.hosts
        if let outcomeTable {
            finding.tiers = outcomeTable[judgement.statuses.tableIndex(rule.tiers)]
        } else {
            finding.tiers = rule.tiers.map { tier in
                TierOutcome(tier: tier.tier, status: judgement.statuses[tier.tier] ?? .unknown,
                            threshold: siteThreshold(tier, site: site), source: tier.source)
            }
        }
    }

    /// Thresholds that depend on the site: the UDP timeout raised to the longest call, and
    /// bandwidth scaled by users and headroom.
    private func siteThreshold(_ tier: CompiledTier, site: SiteParameters) -> Threshold? {
        switch rule.kind {
        case .udpTimeout:
            return Threshold(comparison: tier.comparison, value: udpTimeoutLimit(tier, site: site), unit: "s")
        case .bandwidth:
            let required = requiredBandwidth(tier, site: site)
            return Threshold(comparison: .ge, unit: "kbps", upKbps: required?.up, downKbps: required?.down)
        default:
            return rule.kind.isLowerBetterMetric
                ? Threshold(comparison: tier.comparison, value: tier.value, unit: rule.kind.unit) : nil
        }
    }
}
