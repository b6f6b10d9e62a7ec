/// One concrete change for one tier: one row of the CSV form, one numbered item of the text form.
/// Only the members that apply to its `action` are present.
public struct RemediationChange: Sendable, Equatable {
    public var tier: Tier
    public var team: RemediationTeam
    public var action: ChangeAction
    public var ruleID: String
    public var kind: RuleKind
    /// The finding codes the change answers.
    public var why: [String]
    /// `tcp`, `udp`, or for a security gateway `websocket` / `webrtc`.
    public var `protocol`: String?
    public var port: Int?
    public var destinations: Destinations?
    /// The setting to make (UDP idle timeout, seconds) or the limit to get within (round trip,
    /// jitter, loss), compared as `comparison` says.
    public var value: Double?
    public var comparison: Comparison?
    public var unit: String?
    /// What the agents measured: the UDP binding's lower bound, the metric's median.
    public var measured: Double?
    /// Bandwidth: the shortfall per direction for `users` expected concurrent users.
    public var upKbps: Double?
    public var downKbps: Double?
    public var users: Int?
    /// Proxy `send_direct`: the destinations as a `no_proxy` value and as a PAC condition.
    public var noProxy: String?
    public var pac: String?
    /// Provenance of the tier's threshold (readiness-policy.md) and where the policy says so.
    public var source: SourceTag
    public var citation: String

    public init(tier: Tier, team: RemediationTeam, action: ChangeAction, ruleID: String, kind: RuleKind, why: [String],
                source: SourceTag, citation: String) {
        self.tier = tier
        self.team = team
        self.action = action
        self.ruleID = ruleID
        self.kind = kind
        self.why = why
        self.source = source
        self.citation = citation
    }
}

/// A rule's destinations sorted by what they are, as a firewall or VPN client wants them.
public struct Destinations: Sendable, Equatable {
    /// `*` in the policy: any outbound destination.
    public var any: Bool
    /// `*.example.com`: every sub-domain, not the apex (readiness-policy.md).
    public var hostPatterns: [String]
    public var exactHosts: [String]
    /// IPv4 and IPv6 blocks; a bare address in the policy is written as a /32 or /128.
    public var cidrs: [String]

    public init(any: Bool = false, hostPatterns: [String] = [], exactHosts: [String] = [], cidrs: [String] = []) {
        self.any = any
        self.hostPatterns = hostPatterns
        self.exactHosts = exactHosts
        self.cidrs = cidrs
    }

    /// Classifies policy destinations (already validated when the policy was stored), keeping
    /// their order and dropping repeats.
    public init(policy texts: [String]) {
        self.init()
        for text in texts {
            switch DestinationPattern.parse(text) {
            case .success(.any): any = true
            case .success(.subdomains): append(text.lowercased(), to: \.hostPatterns)
            case .success(.exactHost): append(text.lowercased(), to: \.exactHosts)
            case .success(.network): append(text.contains("/") ? text : text + (text.contains(":") ? "/128" : "/32"), to: \.cidrs)
            case .failure: append(text, to: \.exactHosts)
            }
        }
    }

    private mutating func append(_ text: String, to list: WritableKeyPath<Destinations, [String]>) {
        if !self[keyPath: list].contains(text) { self[keyPath: list].append(text) }
    }

    public var isEmpty: Bool { !any && hostPatterns.isEmpty && exactHosts.isEmpty && cidrs.isEmpty }
}

/// A rule the agents' results could not decide, and the probe that would decide it.
public struct Verification: Sendable, Equatable {
    public var ruleID: String
    public var code: String
    public var kind: RuleKind
    /// The tiers whose outcome is unknown.
    public var tiers: [Tier]
    /// The `probe-result/v1` member that decides it, e.g. `reachability`, `udp_timeout`.
    public var probe: String
    /// What to run, in an administrator's words.
    public var detail: String
    public var source: SourceTag
    public var citation: String

    public init(ruleID: String, code: String, kind: RuleKind, tiers: [Tier], probe: String, detail: String,
                source: SourceTag, citation: String) {
        self.ruleID = ruleID
        self.code = code
        self.kind = kind
        self.tiers = tiers
        self.probe = probe
        self.detail = detail
        self.source = source
        self.citation = citation
    }
}
