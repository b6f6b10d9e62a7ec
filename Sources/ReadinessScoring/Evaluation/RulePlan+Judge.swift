import ReadinessContract
/// One rule judged: statuses per tier and what was measured, enough for verdict and score.
struct Judgement: Sendable {
    var statuses: TierStatuses
    var observed: Observed
    /// The DNS rule's unresolved hosts (the finding's `hosts`); nil for every other rule.
    var hosts: [String]? = nil
}

extension RulePlan {
    /// Turns the rule's observation into its statuses, tier by tier.
    func judge(_ observation: RuleObservation, site: SiteParameters) -> Judgement {
        var observed = Observed(unit: rule.kind.unit)
        var statuses = TierStatuses()
        // The compiler requires at least one tier; with none, `observed` keeps only its unit.
        guard !rule.tiers.isEmpty else { return Judgement(statuses: statuses, observed: observed) }
        switch observation {
        case let .route(tested, reached, matched, failed):
            observed.probesMatched = matched
            observed.probesFailed = failed
            if tested > 1 { observed.runs = tested; observed.passFraction = Double(reached) / Double(tested) }
            for tier in rule.tiers {
                // readiness-policy.md: no matching result is unknown, never a pass; a route
                // reached in some runs and not in others is flapping, a warning.
                statuses[tier.tier] = tested == 0 ? .unknown : reached == tested ? .pass : reached == 0 ? tier.onBreach : .warn
            }
        case let .condition(known, withCondition):
            if known > 1 { observed.runs = known; observed.passFraction = Double(known - withCondition) / Double(known) }
            for tier in rule.tiers {
                statuses[tier.tier] = known == 0 ? .unknown : withCondition > 0 ? tier.onBreach : .pass
            }
        case let .udpTimeout(probe):
            observed.value = probe?.lowerBoundS
            for tier in rule.tiers {
                statuses[tier.tier] = Self.judgeUDPTimeout(probe, tier: tier, limit: udpTimeoutLimit(tier, site: site))
            }
        case let .metric(value):
            observed.value = value
            for tier in rule.tiers {
                if let value, let comparison = tier.comparison, let limit = tier.value {
                    statuses[tier.tier] = comparison.passes(value, limit) ? .pass : tier.onBreach
                } else {
                    statuses[tier.tier] = .unknown
                }
            }
        case let .bandwidth(measured):
            observed.upKbps = measured?.upKbps
            observed.downKbps = measured?.downKbps
            for tier in rule.tiers {
                if let measured, let required = requiredBandwidth(tier, site: site) {
                    statuses[tier.tier] = measured.upKbps >= required.up && measured.downKbps >= required.down ? .pass : tier.onBreach
                } else {
                    statuses[tier.tier] = .unknown
                }
            }
        case let .resolution(tally):
            if tally.runsKnown > 1 {
                observed.runs = tally.runsKnown
                observed.passFraction = Double(tally.runsKnown - tally.runsUnresolved) / Double(tally.runsKnown)
            }
            for tier in rule.tiers { statuses[tier.tier] = tally.status(onBreach: tier.onBreach) }
            return Judgement(statuses: statuses, observed: observed, hosts: tally.hosts)
        }
        return Judgement(statuses: statuses, observed: observed)
    }

    /// readiness-policy.md: optimal needs at least max(1800, longest call); minimal more than 120.
    func udpTimeoutLimit(_ tier: CompiledTier, site: SiteParameters) -> Double {
        let base = tier.value ?? 0
        return tier.atLeastLongestCall ? max(base, site.longestCallS) : base
    }

    /// A lower bound below the limit only because the probe stopped early (it never saw the
    /// binding expire and waited as long as it could) is unknown, not a fail.
    static func judgeUDPTimeout(_ probe: ProbeResult.UDPTimeoutProbe?, tier: CompiledTier, limit: Double) -> FindingStatus {
        guard let probe, let comparison = tier.comparison else { return .unknown }
        if comparison.passes(probe.lowerBoundS, limit) { return .pass }
        if probe.upperBoundS == nil, probe.lowerBoundS >= probe.probeMaxS { return .unknown }
        return tier.onBreach
    }

    /// Profile × expected concurrent users × headroom (readiness-policy.md, Bandwidth and capacity).
    func requiredBandwidth(_ tier: CompiledTier, site: SiteParameters) -> (up: Double, down: Double)? {
        guard let profile = tier.profile else { return nil }
        let factor = Double(site.expectedConcurrentUsers) * rule.headroom
        return (profile.upKbps * factor, profile.downKbps * factor)
    }
}
