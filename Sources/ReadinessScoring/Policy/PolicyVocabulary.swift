/// The two tiers a policy scores against (readiness-policy.md).
public enum Tier: String, Codable, Sendable, CaseIterable, Comparable {
    case minimal, optimal

    public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs == .minimal && rhs == .optimal }
}

/// Provenance of a threshold (readiness-policy.md): the vendor's words, Amazon Chime's
/// published figures, or an engineering default of ours.
public enum SourceTag: String, Codable, Sendable, CaseIterable {
    case seed, chime, derived
}

/// What a rule checks; each kind reads one part of a probe result.
public enum RuleKind: String, Codable, Sendable, CaseIterable {
    case route
    case directMediaPath = "direct_media_path"
    case vpnMediaPath = "vpn_media_path"
    case gateway
    case tlsInspection = "tls_inspection"
    case udpTimeout = "udp_timeout"
    case rtt, jitter, loss, bandwidth
    /// The built-in `dns-resolution` rule (`CompiledRule.dnsResolution`); no document declares it.
    case dns

    /// Metrics where lower is better and the tier threshold is an upper limit.
    var isLowerBetterMetric: Bool { self == .rtt || self == .jitter || self == .loss }
    var needsDestinations: Bool { self == .gateway || self == .tlsInspection || isLowerBetterMetric }
    var unit: String? {
        switch self {
        case .rtt, .jitter: return "ms"
        case .loss: return "%"
        case .udpTimeout: return "s"
        case .bandwidth: return "kbps"
        default: return nil
        }
    }
}

public enum Comparison: String, Codable, Sendable, CaseIterable {
    case lt, le, gt, ge

    func passes(_ observed: Double, _ limit: Double) -> Bool {
        switch self {
        case .lt: return observed < limit
        case .le: return observed <= limit
        case .gt: return observed > limit
        case .ge: return observed >= limit
        }
    }

    var isUpperLimit: Bool { self == .lt || self == .le }
}

/// A finding's outcome. Ordered from best to worst for "worst of" combinations.
public enum FindingStatus: String, Codable, Sendable, CaseIterable {
    case pass, warn, fail, unknown
}
