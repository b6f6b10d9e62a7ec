extension PolicyCompiler {
    mutating func compileTiers(_ rule: PolicyRule, kind: RuleKind?, source: SourceTag, at base: String) -> [CompiledTier] {
        if rule.tiers.isEmpty { fault(base + "/tiers", "must gate at least one tier") }
        var compiled: [CompiledTier] = []
        for (index, requirement) in rule.tiers.enumerated() {
            let pointer = "\(base)/tiers/\(index)"
            guard let tier = Tier(rawValue: requirement.tier) else {
                fault(pointer + "/tier", "is not a known tier: \"\(requirement.tier)\" (expected \"optimal\" or \"minimal\")")
                continue
            }
            if compiled.contains(where: { $0.tier == tier }) { fault(pointer + "/tier", "repeats the tier \"\(tier.rawValue)\"") }
            let onBreach: FindingStatus
            switch requirement.onBreach {
            case "fail": onBreach = .fail
            case "warn": onBreach = .warn
            default:
                fault(pointer + "/on_breach", "must be \"fail\" or \"warn\"")
                onBreach = .fail
            }
            let comparison = checkLimit(requirement, kind: kind, at: pointer)
            if kind == .bandwidth {
                if let profile = requirement.profile {
                    if !(profile.upKbps > 0) { fault(pointer + "/profile/up_kbps", "must be more than 0") }
                    if !(profile.downKbps > 0) { fault(pointer + "/profile/down_kbps", "must be more than 0") }
                } else {
                    fault(pointer + "/profile", "is required for a bandwidth rule")
                }
            }
            if requirement.atLeastLongestCall == true, kind != .udpTimeout {
                fault(pointer + "/at_least_longest_call", "applies only to a udp_timeout rule")
            }
            var tierSource = source
            if let text = requirement.source {
                if let tag = SourceTag(rawValue: text) { tierSource = tag } else {
                    fault(pointer + "/source", "must be one of \"seed\", \"chime\", \"derived\"")
                }
            }
            compiled.append(CompiledTier(
                tier: tier, onBreach: onBreach, comparison: comparison, value: requirement.limit?.value,
                atLeastLongestCall: requirement.atLeastLongestCall ?? false, profile: requirement.profile,
                source: tierSource, citation: requirement.citation ?? rule.citation
            ))
        }
        checkOrdering(compiled, kind: kind, at: base)
        return compiled
    }

    private mutating func checkLimit(_ requirement: TierRequirement, kind: RuleKind?, at pointer: String) -> Comparison? {
        let needsLimit = kind?.isLowerBetterMetric == true || kind == .udpTimeout
        guard needsLimit else {
            if requirement.limit != nil { fault(pointer + "/limit", "does not apply to this rule kind") }
            return nil
        }
        guard let limit = requirement.limit else {
            fault(pointer + "/limit", "is required for this rule kind")
            return nil
        }
        guard let comparison = Comparison(rawValue: limit.comparison) else {
            fault(pointer + "/limit/comparison", "must be one of \"lt\", \"le\", \"gt\", \"ge\"")
            return nil
        }
        if kind == .udpTimeout, comparison.isUpperLimit {
            fault(pointer + "/limit/comparison", "must be \"gt\" or \"ge\": a longer UDP timeout is better")
        } else if kind?.isLowerBetterMetric == true, !comparison.isUpperLimit {
            fault(pointer + "/limit/comparison", "must be \"lt\" or \"le\": a lower value is better")
        }
        if !limit.value.isFinite || limit.value < 0 { fault(pointer + "/limit/value", "must be a non-negative number") }
        return comparison
    }

    /// The optimal tier must be at least as strict as the minimal one: every value that
    /// passes optimal must pass minimal, or the tiers contradict each other.
    private mutating func checkOrdering(_ tiers: [CompiledTier], kind: RuleKind?, at base: String) {
        guard let optimalIndex = tiers.firstIndex(where: { $0.tier == .optimal }),
              let minimal = tiers.first(where: { $0.tier == .minimal }) else { return }
        let optimal = tiers[optimalIndex]
        let pointer = "\(base)/tiers/\(optimalIndex)"
        if let a = optimal.value, let b = minimal.value, let ca = optimal.comparison, let cb = minimal.comparison,
           ca.isUpperLimit == cb.isUpperLimit {
            let inclusiveLooser = (ca == .le && cb == .lt) || (ca == .ge && cb == .gt)
            let looser = ca.isUpperLimit ? (a > b || (a == b && inclusiveLooser)) : (a < b || (a == b && inclusiveLooser))
            if looser { fault(pointer + "/limit/value", "is looser than the minimal tier's threshold") }
        }
        if let a = optimal.profile, let b = minimal.profile, a.upKbps < b.upKbps || a.downKbps < b.downKbps {
            fault(pointer + "/profile", "is smaller than the minimal tier's profile")
        }
    }
}
