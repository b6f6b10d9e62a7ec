import ReadinessContract
extension RulePlan {
    /// What `result` says about this rule. Reads the result in place: no per-probe copies,
    /// and route rules compare protocol and port before any host.
    func observe(_ result: ProbeResult) -> RuleObservation {
        switch rule.kind {
        case .route:
            guard let probes = result.reachability else {
                return .route(runsTested: 0, runsReached: 0, probesMatched: 0, probesFailed: 0)
            }
            var matched = 0
            var failed = 0
            // A probe whose host never resolved did not reach the network: it says nothing
            // about this port, and the DNS rule reports it instead.
            for index in probes.indices
            where probes[index].protocol == rule.routeProtocol && probes[index].port == rule.routePort
                && !probes[index].isUnresolved && matches(probes[index].host) {
                matched += 1
                if !probes[index].reachable { failed += 1 }
            }
            return .route(runsTested: matched > 0 ? 1 : 0, runsReached: matched > 0 && failed == 0 ? 1 : 0,
                          probesMatched: matched, probesFailed: failed)
        case .directMediaPath:
            return .condition(runsKnown: 1, runsWithCondition: result.network.proxy.inMediaPath ? 1 : 0)
        case .vpnMediaPath:
            let vpn = result.network.vpn
            let carriesMedia = vpn.present && vpn.tunnel == .full && !vpn.mediaExcluded
            return .condition(runsKnown: 1, runsWithCondition: carriesMedia ? 1 : 0)
        case .gateway:
            return condition(result.gateway, host: \.host) { !$0.allowed }
        case .tlsInspection:
            return condition(result.tlsInspection, host: \.host) { $0.intercepted }
        case .udpTimeout:
            return .udpTimeout(result.udpTimeout)
        case .rtt:
            return .metric(median(result.latency) { $0.rttMs?.p50 })
        case .jitter:
            return .metric(median(result.latency) { $0.jitterMs })
        case .loss:
            return .metric(median(result.latency) { $0.lossPct })
        case .bandwidth:
            return .bandwidth(result.bandwidth)
        case .dns:
            return .resolution(ResolutionTally(result))
        }
    }

    /// Unknown when no probe matched the rule's destinations; otherwise whether any did show the condition.
    private func condition<Probe>(
        _ probes: [Probe]?, host: KeyPath<Probe, String>, _ isBad: (Probe) -> Bool
    ) -> RuleObservation {
        var matched = false
        var bad = false
        if let probes {
            for index in probes.indices where matches(probes[index][keyPath: host]) {
                matched = true
                if isBad(probes[index]) { bad = true }
            }
        }
        return .condition(runsKnown: matched ? 1 : 0, runsWithCondition: bad ? 1 : 0)
    }

    /// The run's figure for a metric: the median over the media servers it measured. The
    /// values are gathered in a stack buffer (a result holds at most 256 probes).
    private func median(_ probes: [ProbeResult.LatencyProbe]?, _ value: (ProbeResult.LatencyProbe) -> Double?) -> Double? {
        guard let probes, !probes.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: probes.count) { buffer in
            var count = 0
            for index in probes.indices where matches(probes[index].host) {
                if let figure = value(probes[index]) {
                    buffer[count] = figure
                    count += 1
                }
            }
            return Statistics.median(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

extension Policy {
    /// Every rule's observation of one result, in rule order (the window assessment combines them per rule).
    func observe(_ result: ProbeResult) -> [RuleObservation] {
        plans.map { $0.observe(result) }
    }
}
