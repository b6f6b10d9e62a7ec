import Foundation
import ReadinessDomain

extension AgentPlan {
    /// 50 samples 20 ms apart: one second of a media-like stream, enough for a stable median
    /// and a loss figure at 2 % resolution (derived; the contract's example plan).
    static let latency = Latency(samples: 50, intervalMs: 20)
    /// 10 MiB down, 5 MiB up: long enough to leave TCP slow start on a 100 Mbit/s link.
    static let bandwidth = Bandwidth(downloadBytes: 10 << 20, uploadBytes: 5 << 20)
    /// Hourly: 24 runs inside the default 24 h freshness window.
    static let intervalS = 3600
    /// readiness-policy.md: optimal needs at least max(1800, the site's longest call).
    static let udpTimeoutFloorS = 1800

    init(site: SiteRecord, policy: Policy, reflector: HostPort) {
        let rules = policy.document.rules
        func targets(_ proto: String) -> [HostPort] {
            unique(rules.compactMap(\.route).filter { $0.protocol == proto }.flatMap { route in
                route.destinations.compactMap(ProbeTargets.host(for:)).map { HostPort(host: $0, port: route.port) }
            })
        }
        func hosts(_ kind: String) -> [String] {
            unique(rules.filter { $0.kind == kind }.flatMap { $0.destinations ?? [] }.compactMap(ProbeTargets.host(for:)))
        }
        self.init(
            siteID: site.id.uuidString.lowercased(),
            policy: .init(name: policy.name, version: policy.version),
            tcpTargets: targets("tcp"), stunTargets: targets("udp"), reflector: reflector,
            websocketTargets: hosts("gateway"), tlsTargets: hosts("tls_inspection").map(TLSTarget.init),
            latency: Self.latency, udpTimeout: Self.udpTimeout(site: site, policy: policy),
            bandwidth: Self.bandwidth, intervalS: Self.intervalS)
    }

    /// Idle gaps from 30 s up to max(1800, longest call, the policy's optimal limit): just
    /// above the minimal threshold (120 s is the firewall default the seed warns about),
    /// then roughly doubling, ending exactly on the maximum.
    static func udpTimeout(site: SiteRecord, policy: Policy) -> UDPTimeout {
        let limits = policy.document.rules.filter { $0.kind == "udp_timeout" }.flatMap(\.tiers)
        let minimal = limits.first { $0.tier == "minimal" }?.limit.map { Int($0.value) } ?? 120
        let optimal = limits.first { $0.tier == "optimal" }?.limit.map { Int($0.value) } ?? udpTimeoutFloorS
        let maxS = max(udpTimeoutFloorS, optimal, site.longestCallS)
        var steps = [30, 60, minimal + 1, 300, 600, 1200]
        var next = 2400
        while next < maxS {
            steps.append(next)
            next *= 2
        }
        steps = unique(steps.filter { $0 < maxS }.sorted()) + [maxS]
        return UDPTimeout(maxS: maxS, stepsS: steps)
    }
}

/// Order-preserving de-duplication: the plan lists each target once, in policy order.
private func unique<T: Hashable>(_ values: [T]) -> [T] {
    var seen = Set<T>()
    return values.filter { seen.insert($0).inserted }
}
