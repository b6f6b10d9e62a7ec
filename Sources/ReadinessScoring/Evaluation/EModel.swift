import Foundation

/// A MOS estimate from the simplified ITU-T G.107 E-model, exactly as readiness-policy.md
/// states it. Inputs: RTT and jitter in milliseconds, loss in percent.
public enum EModel {
    /// The transmission rating factor R, clamped to [0, 100].
    public static func rFactor(rttMs: Double, jitterMs: Double, lossPct: Double) -> Double {
        let oneWayDelay = rttMs / 2
        let effectiveLatency = oneWayDelay + 2 * jitterMs + 10
        var r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10
        r -= 2.5 * lossPct
        return min(100, max(0, r))
    }

    /// MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R).
    public static func mos(rttMs: Double, jitterMs: Double, lossPct: Double) -> Double {
        let r = rFactor(rttMs: rttMs, jitterMs: jitterMs, lossPct: lossPct)
        return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)
    }
}
