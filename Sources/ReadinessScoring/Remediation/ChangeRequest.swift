/// What a site's network needs so that it reaches each tier, grouped by the team that makes
/// each change (issue 17, "Remediation as a change request"). Derived from the site's stored
/// assessment and the policy version that scored it (`Policy.changeRequest(for:)`): only rules
/// whose tier outcome is `fail` get a change; rules that pass get nothing; rules the agents'
/// results could not decide are listed in `toVerify` with the probe that would decide them.
/// Its parts' wire shapes are declared in `Encoding/ChangeRequest+Members`; the app writes its
/// own members beside the site's (`SiteRemediation`).
public struct ChangeRequest: Sendable, Equatable {
    public var policy: String
    public var policyVersion: Int
    public var verdict: Verdict
    public var assessedAt: String
    /// The changes that move the site to the minimal tier.
    public var minimal: TeamChanges
    /// The changes that move the site to the optimal tier (on their own: not added to `minimal`'s).
    public var optimal: TeamChanges
    public var toVerify: [Verification]

    /// Every change of both tiers, minimal first, each group in team order.
    public var changes: [RemediationChange] { minimal.all + optimal.all }

    public init(policy: String, policyVersion: Int, verdict: Verdict, assessedAt: String,
                minimal: TeamChanges, optimal: TeamChanges, toVerify: [Verification]) {
        self.policy = policy
        self.policyVersion = policyVersion
        self.verdict = verdict
        self.assessedAt = assessedAt
        self.minimal = minimal
        self.optimal = optimal
        self.toVerify = toVerify
    }
}

/// One tier's changes, a list per team; every list is present, empty when the team has nothing to do.
public struct TeamChanges: Sendable, Equatable {
    public var firewall: [RemediationChange] = []
    public var proxy: [RemediationChange] = []
    public var vpn: [RemediationChange] = []
    public var tlsInspection: [RemediationChange] = []
    public var udpTimeout: [RemediationChange] = []
    public var bandwidth: [RemediationChange] = []
    public var dns: [RemediationChange] = []
    public var network: [RemediationChange] = []

    public init() {}

    /// Files each change under its team, keeping their order.
    public init(_ changes: [RemediationChange]) {
        for change in changes { self[change.team].append(change) }
    }

    public subscript(team: RemediationTeam) -> [RemediationChange] {
        get {
            switch team {
            case .firewall: return firewall
            case .proxy: return proxy
            case .vpn: return vpn
            case .tlsInspection: return tlsInspection
            case .udpTimeout: return udpTimeout
            case .bandwidth: return bandwidth
            case .dns: return dns
            case .network: return network
            }
        }
        set {
            switch team {
            case .firewall: firewall = newValue
            case .proxy: proxy = newValue
            case .vpn: vpn = newValue
            case .tlsInspection: tlsInspection = newValue
            case .udpTimeout: udpTimeout = newValue
            case .bandwidth: bandwidth = newValue
            case .dns: dns = newValue
            case .network: network = newValue
            }
        }
    }

    /// Every change, in team order.
    public var all: [RemediationChange] { RemediationTeam.allCases.flatMap { self[$0] } }
    public var isEmpty: Bool { all.isEmpty }
}

/// Who makes a change. `dns` (the built-in `dns-resolution` rule) and `network` (round trip,
/// jitter, loss: no single setting fixes them) complete the teams issue 17 names.
public enum RemediationTeam: String, Codable, Sendable, CaseIterable {
    case firewall, proxy, vpn
    case tlsInspection = "tls_inspection"
    case udpTimeout = "udp_timeout"
    case bandwidth, dns, network
}

/// What the team is asked to do.
public enum ChangeAction: String, Codable, Sendable, CaseIterable {
    /// Firewall: allow outbound `protocol`/`port` to `destinations`.
    case allowOutbound = "allow_outbound"
    /// Proxy: send `destinations` direct (`no_proxy`, `pac`).
    case sendDirect = "send_direct"
    /// Security gateway: let WebSocket (`protocol` websocket) or WebRTC traffic to `destinations` through.
    case allowThroughGateway = "allow_through_gateway"
    /// VPN: exclude `destinations` from the tunnel (split-tunnel routes).
    case excludeFromTunnel = "exclude_from_tunnel"
    /// TLS inspection: exempt `destinations`.
    case exemptFromInspection = "exempt_from_inspection"
    /// Firewall UDP idle timeout: set it to at least `value` seconds.
    case setIdleTimeout = "set_idle_timeout"
    /// Bandwidth: add `up_kbps`/`down_kbps`.
    case addBandwidth = "add_bandwidth"
    /// DNS: make the resolvers answer for `destinations.exact_hosts`.
    case makeResolvable = "make_resolvable"
    /// Round trip, jitter or loss towards `destinations`: bring the measured figure within `value`.
    case improvePath = "improve_path"
}
