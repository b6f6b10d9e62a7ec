/// The outcome of one policy rule for a result or a site: what was seen, what each tier
/// requires, whether it is met, and what to do about it.
public struct Finding: Codable, Sendable, Equatable {
    public var ruleID: String
    /// Stable code for history and ticketing, e.g. `UDP_3478_BLOCKED`.
    public var code: String
    public var kind: RuleKind
    /// `fail` if any tier failed, else `warn` if any tier warned, else `unknown` if any tier
    /// could not be decided, else `pass`.
    public var status: FindingStatus
    /// The lowest tier this finding makes unreachable: `minimal` means not ready,
    /// `optimal` means at most minimal; absent when nothing fails.
    public var blocks: Tier?
    public var observed: Observed
    /// The DNS rule (`DNS_RESOLUTION_FAILED`) only: the probed hosts that did not resolve,
    /// sorted; empty when every name resolved. Absent on every other finding.
    public var hosts: [String]? = nil
    public var tiers: [TierOutcome]
    public var source: SourceTag
    public var citation: String
    public var remediation: String
    /// Sample count and data age; present on site assessments.
    public var confidence: Confidence?

    enum CodingKeys: String, CodingKey {
        case code, kind, status, blocks, observed, hosts, tiers, source, citation, remediation, confidence
        case ruleID = "rule_id"
    }

    public func outcome(for tier: Tier) -> FindingStatus? {
        tiers.first { $0.tier == tier }?.status
    }
}

/// What was measured. Only the fields that apply to the rule's kind are present.
public struct Observed: Codable, Sendable, Equatable {
    public var value: Double?
    public var unit: String?
    public var upKbps: Double?
    public var downKbps: Double?
    /// Routes: probes that matched the route, and how many of them were unreachable.
    public var probesMatched: Int?
    public var probesFailed: Int?
    /// Windows: runs that could decide the rule, and the fraction of them that passed
    /// (routes: reached the route; conditions: did not show it). A fraction strictly
    /// between 0 and 1 on a route is a flapping route.
    public var runs: Int?
    public var passFraction: Double?

    enum CodingKeys: String, CodingKey {
        case value, unit, runs
        case upKbps = "up_kbps"
        case downKbps = "down_kbps"
        case probesMatched = "probes_matched"
        case probesFailed = "probes_failed"
        case passFraction = "pass_fraction"
    }

    public init(value: Double? = nil, unit: String? = nil) {
        self.value = value
        self.unit = unit
    }
}

public struct TierOutcome: Codable, Sendable, Equatable {
    public var tier: Tier
    public var status: FindingStatus
    /// Absent for yes/no rules (routes, proxy, VPN, gateway, TLS inspection).
    public var threshold: Threshold?
    public var source: SourceTag
}

/// A tier's requirement with the site's parameters applied (e.g. the UDP timeout raised to
/// the longest call, bandwidth multiplied by users and headroom).
public struct Threshold: Codable, Sendable, Equatable {
    public var comparison: Comparison?
    public var value: Double?
    public var unit: String?
    public var upKbps: Double?
    public var downKbps: Double?

    enum CodingKeys: String, CodingKey {
        case comparison, value, unit
        case upKbps = "up_kbps"
        case downKbps = "down_kbps"
    }
}

/// How much data stands behind a figure: readiness-policy.md asks for "confidence (sample
/// count, data age) on every score".
public struct Confidence: Codable, Sendable, Equatable {
    public var samples: Int
    public var newestAgeS: Double?
    public var oldestAgeS: Double?

    enum CodingKeys: String, CodingKey {
        case samples
        case newestAgeS = "newest_age_s"
        case oldestAgeS = "oldest_age_s"
    }
}
