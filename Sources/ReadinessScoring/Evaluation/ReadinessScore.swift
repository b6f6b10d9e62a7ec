import Foundation

/// The 0–100 score, read as Microsoft reads its network assessment (readiness-policy.md):
/// 80+ optimal, 50–79 minimal, below 50 not ready. Insufficient data and stale have no score.
///
/// Formula (deterministic, consistent with the verdict by construction):
/// - each measured metric gets a margin q in [0, 1] against the band's tier (optimal for an
///   optimal verdict, minimal otherwise): for RTT, jitter and loss q = clamp(1 − observed /
///   limit); for bandwidth, with r = min(up / required up, down / required down),
///   q = clamp(1 − 1 / r) (0 at the requirement, → 1 with ample headroom); Q = mean of q
///   over the metrics that were measured (0 if none);
/// - optimal: 80 + ⌊20·Q⌋; minimal: 50 + ⌊29·Q⌋;
/// - not ready: ⌊40·P + 9·Q⌋ where P is the share of minimal-tier outcomes that pass or
///   warn; P < 1 in this band, so the score stays below 49.
/// Every q and P only grow when one measurement improves, and a better verdict lands in a
/// higher band, so improving a measurement never lowers the score.
enum ReadinessScore {
    static func score(verdict: Verdict, tally: EvaluationTally) -> Int? {
        switch verdict {
        case .optimal:
            return 80 + Int((20 * tally.optimalMargin.mean).rounded(.down))
        case .minimal:
            return 50 + Int((29 * tally.minimalMargin.mean).rounded(.down))
        case .notReady:
            let decided = tally.minimalDecided
            let share = decided == 0 ? 0 : Double(tally.minimalPassing) / Double(decided)
            let value = 40 * share + 9 * tally.minimalMargin.mean
            return min(49, Int(value.rounded(.down)))
        case .insufficientData, .stale:
            return nil
        }
    }
}
