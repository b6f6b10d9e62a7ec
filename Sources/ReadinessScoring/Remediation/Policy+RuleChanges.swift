extension Policy {
    /// The changes one failing tier of one rule asks for.
    func changes(_ rule: CompiledRule, _ tier: CompiledTier, _ finding: Finding, site: SiteParameters) -> [RemediationChange] {
        func change(_ team: RemediationTeam, _ action: ChangeAction) -> RemediationChange {
            RemediationChange(tier: tier.tier, team: team, action: action, ruleID: rule.id, kind: rule.kind, why: [rule.code],
                              source: tier.source, citation: tier.citation)
        }
        let threshold = finding.tiers.first { $0.tier == tier.tier }?.threshold
        switch rule.kind {
        case .route:
            var allow = change(.firewall, .allowOutbound)
            allow.protocol = rule.routeProtocol?.rawValue
            allow.port = rule.routePort
            allow.destinations = Destinations(policy: destinationTexts(rule))
            return [allow]
        case .directMediaPath:
            let media = Destinations(policy: mediaDestinations)
            var direct = change(.proxy, .sendDirect)
            direct.destinations = media
            direct.noProxy = ProxyBypass.noProxy(media)
            direct.pac = ProxyBypass.pacCondition(media)
            return [direct]
        case .vpnMediaPath:
            var exclude = change(.vpn, .excludeFromTunnel)
            exclude.destinations = Destinations(policy: mediaDestinations)
            return [exclude]
        case .gateway:
            // The seed: "webrtc and websockets traffic to the following must be whitelisted".
            let destinations = Destinations(policy: destinationTexts(rule))
            var websocket = change(.proxy, .allowThroughGateway)
            websocket.protocol = "websocket"
            websocket.port = 443
            websocket.destinations = destinations
            var webrtc = change(.proxy, .allowThroughGateway)
            webrtc.protocol = "webrtc"
            webrtc.destinations = destinations
            return [websocket, webrtc]
        case .tlsInspection:
            var exempt = change(.tlsInspection, .exemptFromInspection)
            exempt.destinations = Destinations(policy: destinationTexts(rule))
            return [exempt]
        case .udpTimeout:
            var timeout = change(.udpTimeout, .setIdleTimeout)
            timeout.value = Self.idleTimeoutSetting(threshold, longestCallS: site.longestCallS)
            timeout.comparison = .ge
            timeout.unit = "s"
            timeout.measured = finding.observed.value
            return [timeout]
        case .bandwidth:
            var more = change(.bandwidth, .addBandwidth)
            more.unit = "kbps"
            more.users = site.expectedConcurrentUsers
            more.upKbps = Self.shortfall(required: threshold?.upKbps, measured: finding.observed.upKbps)
            more.downKbps = Self.shortfall(required: threshold?.downKbps, measured: finding.observed.downKbps)
            return [more]
        case .rtt, .jitter, .loss:
            var path = change(.network, .improvePath)
            path.destinations = Destinations(policy: destinationTexts(rule))
            path.value = threshold?.value
            path.comparison = threshold?.comparison
            path.unit = rule.kind.unit
            path.measured = finding.observed.value
            return [path]
        case .dns:
            var resolve = change(.dns, .makeResolvable)
            resolve.destinations = Destinations(exactHosts: finding.hosts ?? [])
            return [resolve]
        }
    }

    /// The seed: the timeout must be "longer than the longest potential call", and the tier's
    /// limit (already raised to the longest call where the tier says so) must hold. A strict
    /// limit (`gt 120`) is met by the next whole second.
    static func idleTimeoutSetting(_ threshold: Threshold?, longestCallS: Double) -> Double {
        var limit = threshold?.value ?? 0
        if threshold?.comparison == .gt { limit = limit.rounded(.down) + 1 }
        return max(limit.rounded(.up), longestCallS.rounded(.up))
    }

    /// Whole kbit/s still missing in one direction; 0 where the measurement meets the need.
    static func shortfall(required: Double?, measured: Double?) -> Double? {
        guard let required else { return nil }
        return max(0, (required - (measured ?? 0)).rounded(.up))
    }
}
