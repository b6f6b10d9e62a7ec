extension Policy {
    /// A rule no result decided, with the probe whose answer would decide it.
    func verification(_ rule: CompiledRule, tiers: [Tier]) -> Verification {
        let destinations = destinationTexts(rule).joined(separator: ", ")
        let probe: String
        let detail: String
        switch rule.kind {
        case .route:
            let proto = rule.routeProtocol?.rawValue.uppercased() ?? "TCP"
            let port = rule.routePort.map(String.init) ?? "?"
            probe = "reachability"
            detail = destinations == "*"
                ? "Run an agent with a \(proto) \(port) reachability probe to any outside host (the service's reflector for UDP)."
                : "Run an agent with a \(proto) \(port) reachability probe to a host matching \(destinations)."
        case .directMediaPath:
            probe = "network.proxy"
            detail = "Run an agent that reports whether a proxy sits in the media path (network.proxy)."
        case .vpnMediaPath:
            probe = "network.vpn"
            detail = "Run an agent that reports the VPN tunnel mode and whether media is excluded (network.vpn)."
        case .gateway:
            probe = "gateway"
            detail = "Run an agent with WebSocket and WebRTC gateway probes to \(destinations)."
        case .tlsInspection:
            probe = "tls_inspection"
            detail = "Run an agent with a TLS inspection probe (certificate issuer) to \(destinations)."
        case .udpTimeout:
            probe = "udp_timeout"
            detail = "Run an agent with a UDP binding lifetime probe allowed to wait at least as long as the threshold "
                + "(probe_max_s); a probe that stops earlier cannot tell a short timeout from a long one."
        case .rtt, .jitter, .loss:
            probe = "latency"
            detail = "Run an agent with a latency probe (round trip, jitter, loss) to \(destinations)."
        case .bandwidth:
            probe = "bandwidth"
            detail = "Run an agent with a bandwidth probe (up and down)."
        case .dns:
            probe = "reachability"
            detail = "Run an agent with reachability probes: whether the probed host names resolve decides this rule."
        }
        let tier = tiers.first.flatMap { rule.tier($0) }
        return Verification(ruleID: rule.id, code: rule.code, kind: rule.kind, tiers: tiers, probe: probe, detail: detail,
                            source: tier?.source ?? rule.source, citation: tier?.citation ?? rule.citation)
    }
}
