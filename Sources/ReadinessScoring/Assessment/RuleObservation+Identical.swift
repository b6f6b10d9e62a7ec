extension RuleObservation {
    /// Equal to the bit: `==` takes -0 for 0, which a finding would show apart ("-0" in JSON).
    func isIdentical(to other: RuleObservation) -> Bool {
        switch (self, other) {
        case let (.route(a0, a1, a2, a3), .route(b0, b1, b2, b3)):
            return a0 == b0 && a1 == b1 && a2 == b2 && a3 == b3
        case let (.condition(a0, a1), .condition(b0, b1)):
            return a0 == b0 && a1 == b1
        case let (.udpTimeout(a), .udpTimeout(b)):
            guard let a, let b else { return a == nil && b == nil }
            return a.lowerBoundS.bitPattern == b.lowerBoundS.bitPattern && a.probeMaxS.bitPattern == b.probeMaxS.bitPattern
                && a.upperBoundS?.bitPattern == b.upperBoundS?.bitPattern
        case let (.metric(a), .metric(b)):
            return a?.bitPattern == b?.bitPattern
        case let (.resolution(a), .resolution(b)):
            return a == b
        case let (.bandwidth(a), .bandwidth(b)):
            return a?.upKbps.bitPattern == b?.upKbps.bitPattern && a?.downKbps.bitPattern == b?.downKbps.bitPattern
        default:
            return false
        }
    }
}

extension SiteParameters {
    /// Equal to the bit (see `RuleObservation.isIdentical`).
    func isIdentical(to other: SiteParameters) -> Bool {
        expectedConcurrentUsers == other.expectedConcurrentUsers && longestCallS.bitPattern == other.longestCallS.bitPattern
    }
}
