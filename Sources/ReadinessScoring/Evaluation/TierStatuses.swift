/// A rule's outcome per tier in compact form: what verdict and score are computed from,
/// before (and without) building the public `Finding`.
struct TierStatuses: Sendable, Equatable {
    var optimal: FindingStatus?
    var minimal: FindingStatus?

    subscript(tier: Tier) -> FindingStatus? {
        get { tier == .optimal ? optimal : minimal }
        set { if tier == .optimal { optimal = newValue } else { minimal = newValue } }
    }

    /// `fail` if any tier failed, else `warn`, else `unknown`, else `pass`.
    var overall: FindingStatus {
        func any(_ status: FindingStatus) -> Bool { optimal == status || minimal == status }
        if any(.fail) { return .fail }
        if any(.warn) { return .warn }
        if any(.unknown) { return .unknown }
        return .pass
    }

    /// The lowest tier a failure makes unreachable.
    var blocks: Tier? {
        if minimal == .fail { return .minimal }
        if optimal == .fail { return .optimal }
        return nil
    }

    /// Position in `RulePlan.outcomeTable`: the statuses in the rule's tier order, base 4.
    func tableIndex(_ tiers: [CompiledTier]) -> Int {
        var index = 0
        var scale = 1
        for tier in tiers {
            index += scale * Self.ordinal(self[tier.tier] ?? .unknown)
            scale *= FindingStatus.allCases.count
        }
        return index
    }

    private static func ordinal(_ status: FindingStatus) -> Int {
        switch status {
        case .pass: return 0
        case .warn: return 1
        case .fail: return 2
        case .unknown: return 3
        }
    }
}
