/// A site's or a result's readiness (readiness-policy.md, Verdict and score).
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case optimal
    case minimal
    case notReady = "not_ready"
    case insufficientData = "insufficient_data"
    /// No result inside the freshness window.
    case stale

    /// Order for "did it get better": not_ready < insufficient_data < minimal < optimal;
    /// stale sits apart (nil) because it says nothing about the network.
    public var rank: Int? {
        switch self {
        case .notReady: return 0
        case .insufficientData: return 1
        case .minimal: return 2
        case .optimal: return 3
        case .stale: return nil
        }
    }
}
