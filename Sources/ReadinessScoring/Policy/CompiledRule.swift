import ReadinessContract
/// A rule after validation: enums resolved, patterns parsed and lowercased, so evaluating a
/// result does no string parsing (the benchmark target is ≥ 200,000 results/s on one core).
struct CompiledRule: Sendable {
    let id: String
    let code: String
    let kind: RuleKind
    let source: SourceTag
    let citation: String
    let remediation: String
    let tiers: [CompiledTier]
    let routeProtocol: ProbeResult.TransportProtocol?
    let routePort: Int?
    let destinations: [DestinationPattern]
    let headroom: Double

    func matches(_ host: ProbeHost) -> Bool {
        destinations.contains { $0.matches(host) }
    }

    func tier(_ tier: Tier) -> CompiledTier? {
        tiers.first { $0.tier == tier }
    }
}

struct CompiledTier: Sendable {
    let tier: Tier
    /// `.fail` or `.warn`.
    let onBreach: FindingStatus
    let comparison: Comparison?
    let value: Double?
    let atLeastLongestCall: Bool
    let profile: TierRequirement.BandwidthProfile?
    let source: SourceTag
    let citation: String
}
