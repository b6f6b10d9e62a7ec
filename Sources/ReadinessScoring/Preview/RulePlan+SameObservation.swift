extension RulePlan {
    /// Whether this rule observes a run exactly as `other` does: `observe` reads the same
    /// fields of a result, so the two give the same `RuleObservation` for every run. What
    /// `observe` reads is the kind and, by kind, the route's protocol and port and the
    /// destinations; thresholds, tiers, weights, headroom and texts only matter to `judge`
    /// and `finding`. The destinations are compared as written (order included): a rule that
    /// lists the same hosts in another order is read again from bodies, never misjudged.
    func observesSame(as other: RulePlan) -> Bool {
        guard rule.kind == other.rule.kind else { return false }
        switch rule.kind {
        case .route:
            return rule.routeProtocol == other.rule.routeProtocol && rule.routePort == other.rule.routePort
                && rule.destinations == other.rule.destinations
        case .gateway, .tlsInspection, .rtt, .jitter, .loss:
            return rule.destinations == other.rule.destinations
        case .directMediaPath, .vpnMediaPath, .udpTimeout, .bandwidth, .dns:
            // Read from the result alone (`RulePlan.observe`), whatever the rule says.
            return true
        }
    }
}
