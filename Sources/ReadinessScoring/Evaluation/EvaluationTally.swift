/// Verdict, score and MOS inputs gathered rule by rule from compact judgements, so neither
/// a result nor a window walks (or copies) its findings again after building them.
struct EvaluationTally {
    private var minimalFailed = false
    private var minimalUnknown = false
    private var optimalMet = true
    /// Minimal-tier outcomes, and those that pass or warn (the not-ready score's P).
    private(set) var minimalDecided = 0
    private(set) var minimalPassing = 0
    private(set) var optimalMargin = MarginSum()
    private(set) var minimalMargin = MarginSum()
    /// The observed value of the first rule of each kind (set, possibly to nil, once seen).
    private var rtt: Double??
    private var jitter: Double??
    private var loss: Double??

    struct MarginSum {
        private(set) var total = 0.0
        private(set) var count = 0

        mutating func add(_ margin: Double) {
            total += margin
            count += 1
        }

        /// Q: the mean margin of the measured metrics (0 if none).
        var mean: Double { count == 0 ? 0 : total / Double(count) }
    }

    mutating func add(_ plan: RulePlan, _ judgement: Judgement, site: SiteParameters) {
        let statuses = judgement.statuses
        switch statuses.minimal {
        case .fail?: minimalFailed = true
        case .unknown?: minimalUnknown = true
        default: break
        }
        if statuses.optimal == .fail || statuses.optimal == .unknown { optimalMet = false }
        if let status = statuses.minimal {
            minimalDecided += 1
            if status == .pass || status == .warn { minimalPassing += 1 }
        }
        for tier in plan.rule.tiers {
            guard let margin = Self.margin(plan, tier, judgement.observed, site: site) else { continue }
            if tier.tier == .optimal { optimalMargin.add(margin) } else { minimalMargin.add(margin) }
        }
        switch plan.rule.kind {
        case .rtt where rtt == nil: rtt = .some(judgement.observed.value)
        case .jitter where jitter == nil: jitter = .some(judgement.observed.value)
        case .loss where loss == nil: loss = .some(judgement.observed.value)
        default: break
        }
    }

    /// The tier logic: not_ready when some minimal rule fails; insufficient_data when none
    /// fails but one is unknown; optimal when every optimal rule passes; else minimal.
    /// A warning counts as passing for the verdict (it is still shown).
    var verdict: Verdict {
        if minimalFailed { return .notReady }
        if minimalUnknown { return .insufficientData }
        return optimalMet ? .optimal : .minimal
    }

    /// The MOS estimate from the RTT, jitter and loss figures the rules observed.
    var mos: Double? {
        guard let rtt = rtt ?? nil, let jitter = jitter ?? nil, let loss = loss ?? nil else { return nil }
        return EModel.mos(rttMs: rtt, jitterMs: jitter, lossPct: loss)
    }

    /// One metric's margin q against a tier (see `ReadinessScore`); nil when not measured.
    private static func margin(_ plan: RulePlan, _ tier: CompiledTier, _ observed: Observed, site: SiteParameters) -> Double? {
        switch plan.rule.kind {
        case .rtt, .jitter, .loss:
            guard let value = observed.value, let limit = tier.value, limit > 0 else { return nil }
            return clamp(1 - value / limit)
        case .bandwidth:
            guard let up = observed.upKbps, let down = observed.downKbps,
                  let required = plan.requiredBandwidth(tier, site: site) else { return nil }
            let ratio = min(required.up > 0 ? up / required.up : .infinity, required.down > 0 ? down / required.down : .infinity)
            return ratio.isInfinite ? 1 : clamp(1 - 1 / ratio)
        default:
            return nil
        }
    }

    private static func clamp(_ value: Double) -> Double { min(1, max(0, value)) }
}
