import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

/// Walks every rule of the default policy through pass / warn / fail / unknown at its edges.
/// Expected values read "optimal outcome/minimal outcome" ("-" where the rule gates no such tier).
@Suite struct RuleEdgeTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    @Test func theOptimalFixturePassesEveryRule() {
        let evaluation = policy.evaluate(Variation("none") { _ in })
        #expect(evaluation.findings.filter { $0.status != .pass }.map(\.ruleID) == [])
        #expect(evaluation.verdict == .optimal)
    }

    @Test(arguments: [
        ("rtt", Variation("RTT 149.9 ms") { $0.setLatency(rtt: 149.9) }, "pass/pass"),
        ("rtt", Variation("RTT 150 ms") { $0.setLatency(rtt: 150) }, "fail/pass"),
        ("rtt", Variation("RTT 400 ms") { $0.setLatency(rtt: 400) }, "fail/pass"),
        ("rtt", Variation("RTT 400.1 ms") { $0.setLatency(rtt: 400.1) }, "fail/fail"),
        ("rtt", Variation("no latency section") { $0.latency = nil }, "unknown/unknown"),
        ("rtt", Variation("latency only to a non-media host") {
            $0.latency = [.init(host: "reflector.example.net", samples: 5, rttMs: Fixtures.rtt(20), jitterMs: 1, lossPct: 0)]
        }, "unknown/unknown"),
        ("rtt", Variation("all samples lost, no rtt") {
            $0.latency = [.init(host: "media.chime.aws", samples: 50, rttMs: nil, jitterMs: nil, lossPct: 100)]
        }, "unknown/unknown"),
        ("rtt", Variation("median over two media hosts 100 and 200 = 150") {
            $0.latency = [.init(host: "a.chime.aws", samples: 5, rttMs: Fixtures.rtt(100), jitterMs: 1, lossPct: 0),
                          .init(host: "99.77.130.9", samples: 5, rttMs: Fixtures.rtt(200), jitterMs: 1, lossPct: 0)]
        }, "fail/pass"),
        ("jitter", Variation("jitter 29.9 ms") { $0.setLatency(jitter: 29.9) }, "pass/pass"),
        ("jitter", Variation("jitter 30 ms") { $0.setLatency(jitter: 30) }, "fail/pass"),
        ("jitter", Variation("jitter 49.9 ms") { $0.setLatency(jitter: 49.9) }, "fail/pass"),
        ("jitter", Variation("jitter 50 ms") { $0.setLatency(jitter: 50) }, "fail/fail"),
        ("jitter", Variation("no latency section") { $0.latency = nil }, "unknown/unknown"),
        ("loss", Variation("loss 0.99 %") { $0.setLatency(loss: 0.99) }, "pass/pass"),
        ("loss", Variation("loss 1 %") { $0.setLatency(loss: 1) }, "fail/pass"),
        ("loss", Variation("loss 4.99 %") { $0.setLatency(loss: 4.99) }, "fail/pass"),
        ("loss", Variation("loss 5 %") { $0.setLatency(loss: 5) }, "fail/fail"),
        ("loss", Variation("no latency section") { $0.latency = nil }, "unknown/unknown"),
    ])
    func judgesMetricsAtTheirEdges(rule: String, variation: Variation, expected: String) {
        #expect(policy.evaluate(variation).outcomes(rule) == expected)
    }

    /// Site: longest call 3600 s, so optimal needs ≥ max(1800, 3600) = 3600 s; minimal > 120 s.
    @Test(arguments: [
        (Variation("lower 3600, probe max 3600") { $0.udpTimeout = .init(lowerBoundS: 3600, probeMaxS: 3600) }, "pass/pass"),
        (Variation("lower 3599 expired at 3600") { $0.udpTimeout = .init(lowerBoundS: 3599, upperBoundS: 3600, probeMaxS: 7200) }, "fail/pass"),
        (Variation("lower 121 expired at 150") { $0.udpTimeout = .init(lowerBoundS: 121, upperBoundS: 150, probeMaxS: 7200) }, "fail/pass"),
        (Variation("lower 120 expired at 125") { $0.udpTimeout = .init(lowerBoundS: 120, upperBoundS: 125, probeMaxS: 7200) }, "fail/fail"),
        (Variation("lower 600 stopped early at 600") { $0.udpTimeout = .init(lowerBoundS: 600, probeMaxS: 600) }, "unknown/pass"),
        (Variation("lower 120 stopped early at 120") { $0.udpTimeout = .init(lowerBoundS: 120, probeMaxS: 120) }, "unknown/unknown"),
        (Variation("lower 100 without expiry, probe ran to 900") { $0.udpTimeout = .init(lowerBoundS: 100, probeMaxS: 900) }, "fail/fail"),
        (Variation("no udp_timeout section") { $0.udpTimeout = nil }, "unknown/unknown"),
    ])
    func judgesTheUDPTimeoutAtItsEdges(variation: Variation, expected: String) {
        #expect(policy.evaluate(variation).outcomes("udp-timeout") == expected)
    }

    @Test func raisesTheOptimalUDPTimeoutFloorToTheLongestCallOnlyWhenLonger() throws {
        let probe = Variation("lower 1800 expired at 1900") { $0.udpTimeout = .init(lowerBoundS: 1800, upperBoundS: 1900, probeMaxS: 7200) }
        let shortCalls = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 600)
        #expect(policy.evaluate(probe, site: shortCalls).outcomes("udp-timeout") == "pass/pass")
        let longCalls = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 1801)
        let evaluation = policy.evaluate(probe, site: longCalls)
        #expect(evaluation.outcomes("udp-timeout") == "fail/pass")
        #expect(evaluation.finding("udp-timeout")?.tiers.first?.threshold?.value == 1801)
    }

    @Test(arguments: [
        ("direct-media-path", Variation("proxy in media path") { $0.network.proxy = .init(present: true, kind: .explicit, inMediaPath: true) }, "fail/warn"),
        ("direct-media-path", Variation("proxy present but bypassed for media") { $0.network.proxy = .init(present: true, kind: .pac, inMediaPath: false) }, "pass/pass"),
        ("vpn-media-path", Variation("full tunnel carrying media") { $0.network.vpn = .init(present: true, tunnel: .full, mediaExcluded: false) }, "fail/warn"),
        ("vpn-media-path", Variation("full tunnel, media excluded") { $0.network.vpn = .init(present: true, tunnel: .full, mediaExcluded: true) }, "pass/pass"),
        ("vpn-media-path", Variation("split tunnel") { $0.network.vpn = .init(present: true, tunnel: .split, mediaExcluded: false) }, "pass/pass"),
        ("gateway-allows-media", Variation("websocket blocked") {
            $0.gateway = [.init(kind: .websocket, host: "app.sococo.com", allowed: false), .init(kind: .webrtc, host: "media.chime.aws", allowed: true)]
        }, "fail/fail"),
        ("gateway-allows-media", Variation("only an unrelated host tested") { $0.gateway = [.init(kind: .websocket, host: "example.com", allowed: false)] }, "unknown/unknown"),
        ("gateway-allows-media", Variation("no gateway section") { $0.gateway = nil }, "unknown/unknown"),
        ("no-tls-inspection", Variation("sococo certificate replaced") { $0.tlsInspection = [.init(host: "APP.Sococo.com.", intercepted: true, issuer: "Corp CA")] }, "fail/warn"),
        ("no-tls-inspection", Variation("interception only on an unrelated host") {
            $0.tlsInspection = [.init(host: "app.sococo.com", intercepted: false), .init(host: "bank.example", intercepted: true)]
        }, "pass/pass"),
        ("no-tls-inspection", Variation("no tls_inspection section") { $0.tlsInspection = nil }, "unknown/unknown"),
    ])
    func judgesProxyVPNGatewayAndTLSInspection(rule: String, variation: Variation, expected: String) {
        #expect(policy.evaluate(variation).outcomes(rule) == expected)
    }

    @Test(arguments: [
        ("tcp-443", Variation("one TCP 443 probe unreachable") { $0.reachability?[0].reachable = false }, "fail/fail"),
        ("tcp-443", Variation("no TCP 443 probe") { $0.reachability = $0.reachability?.filter { $0.protocol != .tcp } }, "unknown/unknown"),
        ("udp-443", Variation("UDP 443 unreachable") { $0.setReachable(.udp, "reflector.example.net", 443, false) }, "fail/fail"),
        ("udp-443", Variation("no reachability section") { $0.reachability = nil }, "unknown/unknown"),
        ("sococo-https", Variation("as-vip.sococo.net unreachable") { $0.reachability?[1].reachable = false }, "fail/-"),
        ("sococo-https", Variation("only the apex sococo.com probed") {
            $0.reachability = [.init(.tcp, "sococo.com", 443, reachable: true)]
        }, "unknown/-"),
        ("chime-https", Variation("apex chime.aws reachable, listed exactly") {
            $0.reachability = [.init(.tcp, "chime.aws", 443, reachable: true)]
        }, "pass/-"),
        ("chime-https", Variation("deep sub-domain of sdkassets unreachable") {
            $0.reachability?.append(.init(.tcp, "x.sdkassets.chime.aws", 443, reachable: false))
        }, "fail/-"),
        ("chime-media", Variation("UDP 3478 blocked") { $0.setReachable(.udp, "media.chime.aws", 3478, false) }, "fail/-"),
        ("chime-media", Variation("99.77.128.0 reachable") { $0.setReachable(.udp, "99.77.128.0", 3478, true) }, "pass/-"),
        ("chime-media", Variation("99.77.191.255 unreachable") { $0.setReachable(.udp, "99.77.191.255", 3478, false) }, "fail/-"),
        ("chime-media", Variation("99.77.192.0 is outside the /18") { $0.setReachable(.udp, "99.77.192.0", 3478, false) }, "unknown/-"),
        ("chime-media", Variation("wildcard does not match the apex chime.aws") { $0.setReachable(.udp, "chime.aws", 3478, false) }, "unknown/-"),
        ("chime-media", Variation("right host, wrong port") {
            $0.reachability = $0.reachability?.filter { $0.port != 3478 }
            $0.setReachable(.udp, "media.chime.aws", 3479, false)
        }, "unknown/-"),
    ])
    func judgesRoutes(rule: String, variation: Variation, expected: String) {
        #expect(policy.evaluate(variation).outcomes(rule) == expected)
    }

    /// 10 users × 1.25 headroom: optimal needs 6300 up / 30675 down; minimal 675 up / 4675 down.
    @Test(arguments: [
        (Variation("exactly the optimal need") { $0.bandwidth = .init(downKbps: 30_675, upKbps: 6300) }, "pass/pass"),
        (Variation("1 kbps short upstream") { $0.bandwidth = .init(downKbps: 30_675, upKbps: 6299) }, "fail/pass"),
        (Variation("exactly the minimal need") { $0.bandwidth = .init(downKbps: 4675, upKbps: 675) }, "fail/pass"),
        (Variation("1 kbps short downstream") { $0.bandwidth = .init(downKbps: 4674, upKbps: 675) }, "fail/fail"),
        (Variation("no bandwidth section") { $0.bandwidth = nil }, "unknown/unknown"),
    ])
    func judgesBandwidthAgainstUsersAndHeadroom(variation: Variation, expected: String) {
        #expect(policy.evaluate(variation).outcomes("bandwidth") == expected)
    }

    @Test func aFindingCarriesCodeSourceThresholdAndRemediation() throws {
        let evaluation = policy.evaluate(Variation("RTT 250") { $0.setLatency(rtt: 250) })
        let finding = try #require(evaluation.finding("rtt"))
        #expect(finding.code == "RTT_HIGH")
        #expect(finding.status == .fail)
        #expect(finding.blocks == .optimal)
        #expect(finding.observed == Observed(value: 250, unit: "ms"))
        #expect(finding.tiers.map(\.threshold?.value) == [150, 400])
        #expect(finding.source == .seed)
        #expect(finding.remediation.contains("< 150 ms"))
        let proxy = try #require(policy.evaluate(Variation("proxy") { $0.network.proxy.inMediaPath = true }).finding("direct-media-path"))
        #expect(proxy.remediation.hasPrefix("For the best media experience outgoing traffic should be direct and not sent through a proxy."))
    }
}
