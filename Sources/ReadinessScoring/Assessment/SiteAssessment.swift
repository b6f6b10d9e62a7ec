import Foundation

/// A site's readiness over its freshness window: every fresh run of every agent combined.
/// Timestamps are RFC 3339 strings so the stored JSON does not depend on an encoder's date
/// strategy.
public struct SiteAssessment: Codable, Sendable, Equatable {
    public var policy: String
    public var policyVersion: Int
    public var site: SiteParameters
    public var assessedAt: String
    public var windowS: Double
    public var verdict: Verdict
    /// When `verdict` is `stale`: the verdict of the newest data the site ever sent.
    public var lastVerdict: Verdict?
    public var score: Int?
    public var findings: [Finding]
    public var mos: Figure?
    public var capacity: Capacity
    public var transport: Transport?
    public var figures: Figures
    /// Runs and distinct agents (by hostname, else run) behind the assessment.
    public var runs: Int
    public var agents: Int
    public var newestResultAt: String?
    public var oldestResultAt: String?

    enum CodingKeys: String, CodingKey {
        case policy, site, verdict, score, findings, mos, capacity, transport, figures, runs, agents
        case policyVersion = "policy_version"
        case assessedAt = "assessed_at"
        case windowS = "window_s"
        case lastVerdict = "last_verdict"
        case newestResultAt = "newest_result_at"
        case oldestResultAt = "oldest_result_at"
    }

    public func finding(code: String) -> Finding? { findings.first { $0.code == code } }
}

/// A combined figure with its confidence: how many runs it rests on and how old they are.
public struct Figure: Codable, Sendable, Equatable {
    public var value: Double
    public var samples: Int
    public var newestAgeS: Double
    public var oldestAgeS: Double

    enum CodingKeys: String, CodingKey {
        case value, samples
        case newestAgeS = "newest_age_s"
        case oldestAgeS = "oldest_age_s"
    }
}

/// Medians for RTT, jitter and loss; the 10th percentile for bandwidth (a site must carry
/// its users on a bad hour, not an average one).
public struct Figures: Codable, Sendable, Equatable {
    public var rttMs: Figure?
    public var jitterMs: Figure?
    public var lossPct: Figure?
    public var upKbps: Figure?
    public var downKbps: Figure?

    enum CodingKeys: String, CodingKey {
        case rttMs = "rtt_ms"
        case jitterMs = "jitter_ms"
        case lossPct = "loss_pct"
        case upKbps = "up_kbps"
        case downKbps = "down_kbps"
    }
}

extension SiteAssessment {
    /// The codes of the findings that warn or fail, in finding order: what the fleet views
    /// filter sites by. By index, so no finding is copied out (filtering first copied every
    /// problem finding into an array of its own).
    public var problemCodes: [String] {
        var codes: [String] = []
        for index in findings.indices where findings[index].status == .warn || findings[index].status == .fail {
            codes.append(findings[index].code)
        }
        return codes
    }
}
