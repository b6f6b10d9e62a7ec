import Foundation
import ReadinessContract
import ReadinessScoring

extension AgentPlan {
    /// 50 samples 20 ms apart: one second of a media-like stream, enough for a stable median
    /// and a loss figure at 2 % resolution (derived; the contract's example plan).
    static let latency = Latency(samples: 50, intervalMs: 20)
    /// 10 MiB down, 5 MiB up: long enough to leave TCP slow start on a 100 Mbit/s link.
    static let bandwidth = Bandwidth(downloadBytes: 10 << 20, uploadBytes: 5 << 20)
    /// Hourly: 24 runs inside the default 24 h freshness window.
    static let intervalS = 3600

    /// `reflectorStatus`: the ports this process's reflector answers on (and could not bind);
    /// `reflector` is where the plan sends agents, its port counted as listening.
    init(site: SiteRecord, policy: Policy, reflector: HostPort, reflectorStatus: ReflectorStatus) {
        let rules = policy.document.rules
        let listening = Set(reflectorStatus.ports).union([reflector.port])
        let tcpTargets = Self.targets("tcp", rules: rules, reflector: reflector, reflectorPorts: listening)
        let stunTargets = Self.targets("udp", rules: rules, reflector: reflector, reflectorPorts: listening)
        func hosts(_ kind: String) -> [String] {
            unique(rules.filter { $0.kind == kind }.flatMap { $0.destinations ?? [] }.compactMap(ProbeTargets.host(for:)))
        }
        self.init(
            siteID: site.id.uuidString.lowercased(),
            policy: .init(name: policy.name, version: policy.version),
            tcpTargets: tcpTargets, stunTargets: stunTargets, reflector: reflector,
            websocketTargets: hosts("gateway"), tlsTargets: hosts("tls_inspection").map { TLSTarget(host: $0) },
            latency: Self.latency, udpTimeout: Self.udpTimeout(site: site, policy: policy),
            bandwidth: Self.bandwidth, intervalS: Self.intervalS,
            untargetedRules: Self.untargetedRules(
                rules, tcp: tcpTargets, udp: stunTargets, reflector: reflector, unboundPorts: Set(reflectorStatus.unboundPorts)))
    }

    /// The idle-timeout probe goes up to max(the policy's optimal limit, the site's longest
    /// call): readiness-policy.md asks for at least max(1800, longest call), and the 1800 is the
    /// policy document's optimal limit, not a constant here, so a policy with shorter limits
    /// (a test network's 20 s) gets a probe that short.
    static func udpTimeout(site: SiteRecord, policy: Policy) -> UDPTimeout {
        let limits = policy.document.rules.filter { $0.kind == "udp_timeout" }.flatMap(\.tiers)
        let minimal = limits.first { $0.tier == "minimal" }?.limit.map { Int($0.value.rounded(.up)) }
        let optimal = limits.first { $0.tier == "optimal" }?.limit.map { Int($0.value.rounded(.up)) }
        let maxS = max(1, optimal ?? 0, site.longestCallS, minimal.map { $0 + 1 } ?? 0)
        return UDPTimeout(maxS: maxS, stepsS: udpTimeoutSteps(maxS: maxS, minimal: minimal, optimal: optimal))
    }

    /// Ascending gaps: doubling from a few seconds (a tenth of the maximum, at most 30 s), plus
    /// the points the verdict turns on: just above the minimal limit (the firewall default of
    /// 120 s the seed warns about fails at exactly 120), the optimal limit, and the maximum. A
    /// doubling step within 30 % of one of those adds a probe but no information, so it goes:
    /// minimal 12 / optimal 20 gives [2, 4, 8, 13, 20]; the default policy
    /// [30, 60, 121, 240, 480, 960, 1800].
    static func udpTimeoutSteps(maxS: Int, minimal: Int?, optimal: Int?) -> [Int] {
        let required = Set([minimal.map { $0 + 1 }, optimal, maxS].compactMap { $0 }.filter { $0 >= 1 && $0 <= maxS })
        var doubling: [Int] = []
        var step = max(1, min(30, maxS / 10))
        while step < maxS {
            doubling.append(step)
            step *= 2
        }
        let spaced = doubling.filter { step in
            !required.contains { Double(max(step, $0)) / Double(min(step, $0)) < 1.3 }
        }
        return Array(required.union(spaced)).sorted()
    }
}
