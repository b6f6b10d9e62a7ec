import Foundation
@testable import ReadinessContract
@testable import ReadinessScoring

/// The first, straightforward evaluator (per-result host copies, findings built first, then
/// verdict and score read back from them), restated in its plainest form as the oracle for the optimised
/// `Policy.evaluate`: the two must agree exactly on every result.
enum ReferenceEvaluator {
    static func evaluate(_ policy: Policy, _ result: ProbeResult, site: SiteParameters) -> ResultEvaluation {
        let findings = zip(policy.rules, observe(policy.rules, result)).map { judge($0, $1, site: site) }
        let verdict = verdict(findings)
        return ResultEvaluation(
            runID: result.runID, policy: policy.name, policyVersion: policy.version, site: site, verdict: verdict,
            score: score(verdict: verdict, findings: findings, site: site), findings: findings, mos: mos(findings),
            capacity: policy.capacity(result.bandwidth), transport: transport(policy, findings)
        )
    }

    /// The old `ProbeHost`: lowercased bytes without a trailing dot, parsed as an IP literal when it may be one.
    struct Host {
        let name: [UInt8]
        let address: IPAddress?

        init(_ host: String) {
            var bytes = Array(host.utf8)
            for index in bytes.indices where bytes[index] >= 65 && bytes[index] <= 90 { bytes[index] += 32 }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            name = bytes
            let first = bytes.first ?? 0
            let mayBeAddress = (48...57).contains(first) || first == UInt8(ascii: "[") || bytes.contains(UInt8(ascii: ":"))
            address = mayBeAddress ? bytes.withUnsafeBufferPointer { IPAddress.parse($0) } : nil
        }

        func matches(_ rule: CompiledRule) -> Bool {
            rule.destinations.contains { pattern in
                switch pattern {
                case .any: return true
                case let .subdomains(suffix): return name.count > suffix.count && Array(name.suffix(suffix.count)) == suffix
                case let .exactHost(exact): return name == exact
                case let .network(block): return address.map(block.contains) ?? false
                }
            }
        }
    }

    static func observe(_ rules: [CompiledRule], _ result: ProbeResult) -> [RuleObservation] {
        let reachability = result.reachability.map { $0.map { ($0, Host($0.host)) } }
        let gateway = result.gateway.map { $0.map { ($0, Host($0.host)) } }
        let tls = result.tlsInspection.map { $0.map { ($0, Host($0.host)) } }
        let latency = result.latency.map { $0.map { ($0, Host($0.host)) } }
        func condition<P>(_ probes: [(P, Host)]?, _ rule: CompiledRule, _ isBad: (P) -> Bool) -> RuleObservation {
            let matching = (probes ?? []).filter { $0.1.matches(rule) }
            return .condition(runsKnown: matching.isEmpty ? 0 : 1, runsWithCondition: matching.contains { isBad($0.0) } ? 1 : 0)
        }
        func median(_ rule: CompiledRule, _ value: (ProbeResult.LatencyProbe) -> Double?) -> Double? {
            guard let latency else { return nil }
            return Statistics.median(latency.filter { $0.1.matches(rule) }.compactMap { value($0.0) })
        }
        return rules.map { rule in
            switch rule.kind {
            case .route:
                guard let reachability else { return .route(runsTested: 0, runsReached: 0, probesMatched: 0, probesFailed: 0) }
                // A probe whose name never resolved tells nothing about the route.
                let matching = reachability.filter {
                    $0.0.protocol == rule.routeProtocol && $0.0.port == rule.routePort && $0.1.matches(rule)
                        && !(!$0.0.reachable && $0.0.error == "dns")
                }
                let failed = matching.filter { !$0.0.reachable }.count
                return .route(runsTested: matching.isEmpty ? 0 : 1, runsReached: !matching.isEmpty && failed == 0 ? 1 : 0,
                              probesMatched: matching.count, probesFailed: failed)
            case .directMediaPath:
                return .condition(runsKnown: 1, runsWithCondition: result.network.proxy.inMediaPath ? 1 : 0)
            case .vpnMediaPath:
                let vpn = result.network.vpn
                return .condition(runsKnown: 1, runsWithCondition: vpn.present && vpn.tunnel == .full && !vpn.mediaExcluded ? 1 : 0)
            case .gateway: return condition(gateway, rule) { !$0.allowed }
            case .tlsInspection: return condition(tls, rule) { $0.intercepted }
            case .udpTimeout: return .udpTimeout(result.udpTimeout)
            case .rtt: return .metric(median(rule) { $0.rttMs?.p50 })
            case .jitter: return .metric(median(rule) { $0.jitterMs })
            case .loss: return .metric(median(rule) { $0.lossPct })
            case .bandwidth: return .bandwidth(result.bandwidth)
            case .dns:
                guard let reachability, !reachability.isEmpty else { return .resolution(ResolutionTally()) }
                let hosts = Set(reachability.filter { !$0.0.reachable && $0.0.error == "dns" }.map { $0.0.host.lowercased() })
                return .resolution(ResolutionTally(runsKnown: 1, runsUnresolved: hosts.isEmpty ? 0 : 1,
                                                   hostRuns: Dictionary(uniqueKeysWithValues: hosts.map { ($0, 1) })))
            }
        }
    }

    static func judge(_ rule: CompiledRule, _ observation: RuleObservation, site: SiteParameters) -> Finding {
        var observed = Observed(unit: rule.kind.unit)
        var outcomes: [TierOutcome] = []
        var hosts: [String]?
        for tier in rule.tiers {
            var threshold: Threshold?
            let status: FindingStatus
            switch observation {
            case let .route(tested, reached, matched, failed):
                observed.probesMatched = matched
                observed.probesFailed = failed
                if tested > 1 { observed.runs = tested; observed.passFraction = Double(reached) / Double(tested) }
                status = tested == 0 ? .unknown : reached == tested ? .pass : reached == 0 ? tier.onBreach : .warn
            case let .condition(known, withCondition):
                if known > 1 { observed.runs = known; observed.passFraction = Double(known - withCondition) / Double(known) }
                status = known == 0 ? .unknown : withCondition > 0 ? tier.onBreach : .pass
            case let .udpTimeout(probe):
                let base = tier.value ?? 0
                let limit = tier.atLeastLongestCall ? max(base, site.longestCallS) : base
                threshold = Threshold(comparison: tier.comparison, value: limit, unit: "s")
                observed.value = probe?.lowerBoundS
                if let probe, let comparison = tier.comparison {
                    status = comparison.passes(probe.lowerBoundS, limit) ? .pass
                        : probe.upperBoundS == nil && probe.lowerBoundS >= probe.probeMaxS ? .unknown : tier.onBreach
                } else {
                    status = .unknown
                }
            case let .metric(value):
                threshold = Threshold(comparison: tier.comparison, value: tier.value, unit: rule.kind.unit)
                observed.value = value
                if let value, let comparison = tier.comparison, let limit = tier.value {
                    status = comparison.passes(value, limit) ? .pass : tier.onBreach
                } else {
                    status = .unknown
                }
            case let .bandwidth(measured):
                let factor = Double(site.expectedConcurrentUsers) * rule.headroom
                let required = tier.profile.map { (up: $0.upKbps * factor, down: $0.downKbps * factor) }
                threshold = Threshold(comparison: .ge, unit: "kbps", upKbps: required?.up, downKbps: required?.down)
                observed.upKbps = measured?.upKbps
                observed.downKbps = measured?.downKbps
                if let measured, let required {
                    status = measured.upKbps >= required.up && measured.downKbps >= required.down ? .pass : tier.onBreach
                } else {
                    status = .unknown
                }
            case let .resolution(tally):
                let (known, unresolved) = (tally.runsKnown, tally.runsUnresolved)
                if known > 1 { observed.runs = known; observed.passFraction = Double(known - unresolved) / Double(known) }
                hosts = tally.hostRuns.keys.sorted()
                status = known == 0 ? .unknown : unresolved == 0 ? .pass : unresolved == known ? tier.onBreach : .warn
            }
            outcomes.append(TierOutcome(tier: tier.tier, status: status, threshold: threshold, source: tier.source))
        }
        let statuses = outcomes.map(\.status)
        let overall: FindingStatus = statuses.contains(.fail) ? .fail : statuses.contains(.warn) ? .warn
            : statuses.contains(.unknown) ? .unknown : .pass
        let blocks: Tier? = outcomes.contains { $0.tier == .minimal && $0.status == .fail } ? .minimal
            : outcomes.contains { $0.tier == .optimal && $0.status == .fail } ? .optimal : nil
        return Finding(
            ruleID: rule.id, code: rule.code, kind: rule.kind, status: overall, blocks: blocks, observed: observed,
            hosts: hosts, tiers: outcomes, source: rule.source, citation: rule.citation, remediation: rule.remediation, confidence: nil
        )
    }

    static func verdict(_ findings: [Finding]) -> Verdict {
        let outcomes = findings.flatMap(\.tiers)
        if outcomes.contains(where: { $0.tier == .minimal && $0.status == .fail }) { return .notReady }
        if outcomes.contains(where: { $0.tier == .minimal && $0.status == .unknown }) { return .insufficientData }
        return outcomes.contains { $0.tier == .optimal && ($0.status == .fail || $0.status == .unknown) } ? .minimal : .optimal
    }

    static func score(verdict: Verdict, findings: [Finding], site: SiteParameters) -> Int? {
        func margin(_ tier: Tier) -> Double {
            var total = 0.0
            var count = 0
            for finding in findings {
                guard let threshold = finding.tiers.first(where: { $0.tier == tier })?.threshold else { continue }
                switch finding.kind {
                case .rtt, .jitter, .loss:
                    guard let value = finding.observed.value, let limit = threshold.value, limit > 0 else { continue }
                    total += min(1, max(0, 1 - value / limit))
                    count += 1
                case .bandwidth:
                    guard let up = finding.observed.upKbps, let down = finding.observed.downKbps,
                          let needUp = threshold.upKbps, let needDown = threshold.downKbps else { continue }
                    let ratio = min(needUp > 0 ? up / needUp : .infinity, needDown > 0 ? down / needDown : .infinity)
                    total += ratio.isInfinite ? 1 : min(1, max(0, 1 - 1 / ratio))
                    count += 1
                default: continue
                }
            }
            return count == 0 ? 0 : total / Double(count)
        }
        switch verdict {
        case .optimal: return 80 + Int((20 * margin(.optimal)).rounded(.down))
        case .minimal: return 50 + Int((29 * margin(.minimal)).rounded(.down))
        case .notReady:
            let minimal = findings.flatMap(\.tiers).filter { $0.tier == .minimal }
            let share = minimal.isEmpty ? 0 : Double(minimal.filter { $0.status == .pass || $0.status == .warn }.count) / Double(minimal.count)
            return min(49, Int((40 * share + 9 * margin(.minimal)).rounded(.down)))
        case .insufficientData, .stale: return nil
        }
    }

    static func mos(_ findings: [Finding]) -> Double? {
        func value(_ kind: RuleKind) -> Double? { findings.first { $0.kind == kind }?.observed.value }
        guard let rtt = value(.rtt), let jitter = value(.jitter), let loss = value(.loss) else { return nil }
        return EModel.mos(rttMs: rtt, jitterMs: jitter, lossPct: loss)
    }

    static func transport(_ policy: Policy, _ findings: [Finding]) -> Transport? {
        let candidates = [(policy.mediaRouteIndex, Transport.udpMediaDirect), (policy.udp443RouteIndex, .udp443Only),
                          (policy.tlsRouteIndex, .tcpTLSFallback)]
        var undecided = false
        for (index, transport) in candidates {
            switch findings[index].status {
            case .pass: return transport
            case .unknown: undecided = true
            case .warn, .fail: continue
            }
        }
        return undecided ? nil : Transport.none
    }
}
