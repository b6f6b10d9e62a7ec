extension Policy {
    /// The change request for a site assessed under this policy version (`assessment.policy`
    /// and `policyVersion` name it). Pure: the assessment's findings decide everything, so the
    /// same stored assessment always gives the same request.
    ///
    /// A rule the assessment has no finding for (a site that never sent a result in its window
    /// has none at all) is unknown in every tier it gates: it goes to `toVerify`.
    public func changeRequest(for assessment: SiteAssessment) -> ChangeRequest {
        var byTier: [Tier: [RemediationChange]] = [:]
        var toVerify: [Verification] = []
        for rule in rules {
            let finding = assessment.findings.first { $0.ruleID == rule.id }
            var unknown: [Tier] = []
            for tier in Tier.allCases {
                guard let compiledTier = rule.tier(tier) else { continue }
                switch finding?.outcome(for: tier) ?? .unknown {
                case .fail:
                    if let finding {
                        byTier[tier, default: []] += changes(rule, compiledTier, finding, site: assessment.site)
                    }
                case .unknown: unknown.append(tier)
                case .pass, .warn: break
                }
            }
            if !unknown.isEmpty { toVerify.append(verification(rule, tiers: unknown)) }
        }
        return ChangeRequest(
            policy: name, policyVersion: version, verdict: assessment.verdict, assessedAt: assessment.assessedAt,
            minimal: TeamChanges(byTier[.minimal] ?? []), optimal: TeamChanges(byTier[.optimal] ?? []), toVerify: toVerify)
    }

    /// The policy's own text of a rule's destinations (the compiled form lowercases and parses them).
    func destinationTexts(_ rule: CompiledRule) -> [String] {
        guard let declared = document.rules.first(where: { $0.id == rule.id }) else { return [] }
        return declared.route?.destinations ?? declared.destinations ?? []
    }

    /// Where the media flows: the transport's media route and the hosts the round-trip, jitter
    /// and loss rules measure ("to the media servers", readiness-policy.md). What a proxy should
    /// send direct and a VPN should leave out of the tunnel; `*` is left out (it is not a route).
    var mediaDestinations: [String] {
        var texts: [String] = []
        for rule in rules where rule.id == document.transport.mediaRoute || rule.kind.isLowerBetterMetric {
            for text in destinationTexts(rule) where text != "*" && !texts.contains(text) { texts.append(text) }
        }
        return texts
    }
}
