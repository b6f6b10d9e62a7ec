import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// Issue 17: each finding code produces exactly the changes it needs, tier by tier, and
/// nothing for rules that pass. A site of 10 expected users whose longest call is an hour.
@Suite struct ChangeRequestTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    struct Case: Sendable, CustomTestStringConvertible {
        let code: String
        let apply: @Sendable (inout ProbeResult) -> Void
        /// `ChangeRequestTests.summary` of every change, minimal first.
        let expected: [String]
        var testDescription: String { code }
    }

    static let chimeMedia = "*.chime.aws,99.77.128.0/18"
    static let media = "*.chime.aws,*.sococo.com,*.sococo.net,99.77.128.0/18"
    static let gatewayHosts = "*.sococo.com,*.sococo.net,*.chime.aws"

    static let cases: [Case] = [
        Case(code: "TCP_443_BLOCKED", apply: { $0.reachability?.append(.init(.tcp, "example.org", 443, reachable: false)) }, expected: [
            "minimal firewall allow_outbound TCP_443_BLOCKED tcp/443 any",
            "optimal firewall allow_outbound TCP_443_BLOCKED tcp/443 any",
        ]),
        Case(code: "UDP_443_BLOCKED", apply: { $0.block(.udp, "reflector.example.net", 443) }, expected: [
            "minimal firewall allow_outbound UDP_443_BLOCKED udp/443 any",
            "optimal firewall allow_outbound UDP_443_BLOCKED udp/443 any",
        ]),
        // A blocked vendor host is also a blocked TCP 443: both rules say so.
        Case(code: "SOCOCO_HTTPS_BLOCKED", apply: { $0.block(.tcp, "app.sococo.com", 443) }, expected: [
            "minimal firewall allow_outbound TCP_443_BLOCKED tcp/443 any",
            "optimal firewall allow_outbound TCP_443_BLOCKED tcp/443 any",
            "optimal firewall allow_outbound SOCOCO_HTTPS_BLOCKED tcp/443 *.sococo.com,*.sococo.net",
        ]),
        Case(code: "CHIME_HTTPS_BLOCKED", apply: { $0.block(.tcp, "media.chime.aws", 443) }, expected: [
            "minimal firewall allow_outbound TCP_443_BLOCKED tcp/443 any",
            "optimal firewall allow_outbound TCP_443_BLOCKED tcp/443 any",
            "optimal firewall allow_outbound CHIME_HTTPS_BLOCKED tcp/443 *.chime.aws,*.sdkassets.chime.aws,*.amazonaws.com,chime.aws",
        ]),
        Case(code: "UDP_3478_BLOCKED", apply: { $0.block(.udp, "media.chime.aws", 3478) }, expected: [
            "optimal firewall allow_outbound UDP_3478_BLOCKED udp/3478 \(chimeMedia)",
        ]),
        Case(code: "MEDIA_VIA_PROXY", apply: { $0.network.proxy = .init(present: true, kind: .explicit, inMediaPath: true) }, expected: [
            "optimal proxy send_direct MEDIA_VIA_PROXY \(media)",
        ]),
        Case(code: "FULL_TUNNEL_VPN", apply: { $0.network.vpn = .init(present: true, tunnel: .full, mediaExcluded: false) }, expected: [
            "optimal vpn exclude_from_tunnel FULL_TUNNEL_VPN \(media)",
        ]),
        Case(code: "GATEWAY_BLOCKS_WEBSOCKET",
             apply: { $0.gateway = [.init(kind: .websocket, host: "app.sococo.com", allowed: false, status: 403)] }, expected: [
            "minimal proxy allow_through_gateway GATEWAY_BLOCKS_WEBSOCKET websocket/443 \(gatewayHosts)",
            "minimal proxy allow_through_gateway GATEWAY_BLOCKS_WEBSOCKET webrtc \(gatewayHosts)",
            "optimal proxy allow_through_gateway GATEWAY_BLOCKS_WEBSOCKET websocket/443 \(gatewayHosts)",
            "optimal proxy allow_through_gateway GATEWAY_BLOCKS_WEBSOCKET webrtc \(gatewayHosts)",
        ]),
        Case(code: "TLS_INSPECTION",
             apply: { $0.tlsInspection = [.init(host: "app.sococo.com", intercepted: true, issuer: "Corp CA")] }, expected: [
            "optimal tls_inspection exempt_from_inspection TLS_INSPECTION \(gatewayHosts)",
        ]),
        // Both tiers fail; both ask for the longest call (3600 s), above 120 s and 1800 s.
        Case(code: "UDP_TIMEOUT_TOO_SHORT",
             apply: { $0.udpTimeout = .init(lowerBoundS: 100, upperBoundS: 110, probeMaxS: 3600) }, expected: [
            "minimal udp_timeout set_idle_timeout UDP_TIMEOUT_TOO_SHORT value=3600 measured=100",
            "optimal udp_timeout set_idle_timeout UDP_TIMEOUT_TOO_SHORT value=3600 measured=100",
        ]),
        Case(code: "RTT_HIGH", apply: { $0.setLatency(rtt: 500) }, expected: [
            "minimal network improve_path RTT_HIGH \(media) value=400 measured=500",
            "optimal network improve_path RTT_HIGH \(media) value=150 measured=500",
        ]),
        Case(code: "JITTER_HIGH", apply: { $0.setLatency(jitter: 40) }, expected: [
            "optimal network improve_path JITTER_HIGH \(media) value=30 measured=40",
        ]),
        Case(code: "PACKET_LOSS_HIGH", apply: { $0.setLatency(loss: 2) }, expected: [
            "optimal network improve_path PACKET_LOSS_HIGH \(media) value=1 measured=2",
        ]),
        // 10 users × 1.25: minimal needs 675 up / 4675 down, optimal 6300 / 30675.
        Case(code: "BANDWIDTH_INSUFFICIENT", apply: { $0.bandwidth = .init(downKbps: 3000, upKbps: 500) }, expected: [
            "minimal bandwidth add_bandwidth BANDWIDTH_INSUFFICIENT up=175 down=1675",
            "optimal bandwidth add_bandwidth BANDWIDTH_INSUFFICIENT up=5800 down=27675",
        ]),
        Case(code: "DNS_RESOLUTION_FAILED",
             apply: { $0.reachability?.append(.init(.tcp, "nowhere.sococo.com", 443, reachable: false, error: "dns")) }, expected: [
            "minimal dns make_resolvable DNS_RESOLUTION_FAILED nowhere.sococo.com",
            "optimal dns make_resolvable DNS_RESOLUTION_FAILED nowhere.sococo.com",
        ]),
    ]

    private func request(_ apply: (inout ProbeResult) -> Void) -> ChangeRequest {
        var result = Fixtures.optimalResult()
        apply(&result)
        return policy.changeRequest(for: policy.assess([result], site: Fixtures.site, now: Fixtures.now))
    }

    @Test(arguments: cases)
    func eachFindingCodeAsksForExactlyItsChanges(_ testCase: Case) {
        let request = request(testCase.apply)
        #expect(request.changes.map(Self.summary) == testCase.expected)
        #expect(request.toVerify.isEmpty)
        // Filed under the team each change names, in the tier it names.
        for tier in [request.minimal, request.optimal] {
            for team in RemediationTeam.allCases { #expect(tier[team].allSatisfy { $0.team == team }) }
        }
        #expect(request.minimal.all.allSatisfy { $0.tier == .minimal } && request.optimal.all.allSatisfy { $0.tier == .optimal })
    }

    @Test func aCleanSiteNeedsNothing() {
        let request = request { _ in }
        #expect(request.verdict == .optimal)
        #expect(request.changes.isEmpty)
        #expect(request.toVerify.isEmpty)
    }

    /// A warning (here a proxy in the media path, which only warns at minimal) asks for no
    /// minimal change: the tier is met.
    @Test func aWarningTierAsksForNothing() {
        let request = request { $0.network.proxy = .init(present: true, kind: .explicit, inMediaPath: true) }
        #expect(request.minimal.isEmpty)
        #expect(request.optimal.proxy.count == 1)
    }

    @Test func theUDPTimeoutShowsTheMeasuredLowerBoundAndTheTiersOwnSource() throws {
        let request = request { $0.udpTimeout = .init(lowerBoundS: 600, upperBoundS: 700, probeMaxS: 3600) }
        #expect(request.minimal.isEmpty)
        let change = try #require(request.optimal.udpTimeout.first)
        #expect(change.value == 3600 && change.measured == 600 && change.unit == "s" && change.comparison == .ge)
        // The optimal tier overrides the rule's provenance (readiness-policy.md: 30 min floor, derived).
        #expect(change.source == .derived)
        #expect(change.citation.contains("Webex"))
    }

    @Test func aLongerCallRaisesTheTimeoutToSet() throws {
        var result = Fixtures.optimalResult()
        result.udpTimeout = .init(lowerBoundS: 100, upperBoundS: 110, probeMaxS: 3600)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 5400)
        let request = policy.changeRequest(for: policy.assess([result], site: site, now: Fixtures.now))
        #expect(request.changes.compactMap(\.value) == [5400, 5400])
    }

    @Test func undecidedRulesAreToVerifyWithTheirProbe() throws {
        let request = request { $0.udpTimeout = .init(lowerBoundS: 600, upperBoundS: nil, probeMaxS: 600); $0.bandwidth = nil }
        #expect(request.changes.isEmpty)
        #expect(request.toVerify.map(\.ruleID) == ["udp-timeout", "bandwidth"])
        #expect(request.toVerify[0].tiers == [.optimal])  // 600 s > 120 s decides minimal
        #expect(request.toVerify[0].probe == "udp_timeout")
        #expect(request.toVerify[1].tiers == [.minimal, .optimal])
        #expect(request.toVerify[1].probe == "bandwidth")
    }

    @Test func aSiteWithoutResultsHasEveryRuleToVerify() throws {
        let request = policy.changeRequest(for: policy.assess([], site: Fixtures.site, now: Fixtures.now))
        #expect(request.changes.isEmpty)
        #expect(request.toVerify.map(\.ruleID) == policy.document.rules.map(\.id) + ["dns-resolution"])
        let route = try #require(request.toVerify.first { $0.ruleID == "chime-media" })
        #expect(route.probe == "reachability" && route.tiers == [.optimal])
        #expect(route.detail.contains("UDP 3478") && route.detail.contains("*.chime.aws"))
    }

    @Test func aProxyGetsANoProxyListAndAPACCondition() throws {
        let change = try #require(request { $0.network.proxy = .init(present: true, kind: .pac, inMediaPath: true) }.optimal.proxy.first)
        #expect(change.noProxy == ".chime.aws,.sococo.com,.sococo.net,99.77.128.0/18")
        #expect(change.pac == "if (shExpMatch(host, \"*.chime.aws\") || shExpMatch(host, \"*.sococo.com\") || "
            + "shExpMatch(host, \"*.sococo.net\") || isInNet(host, \"99.77.128.0\", \"255.255.192.0\")) return \"DIRECT\";")
    }

    @Test func destinationsAreSortedByWhatTheyAre() {
        let destinations = Destinations(policy: ["*.Example.com", "host.example.com", "10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "*", "10.0.0.0/8"])
        #expect(destinations == Destinations(any: true, hostPatterns: ["*.example.com"], exactHosts: ["host.example.com"],
                                             cidrs: ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]))
        #expect(ProxyBypass.pacCondition(Destinations(cidrs: ["2001:db8::/32"])) == "if (isInNetEx(host, \"2001:db8::/32\")) return \"DIRECT\";")
        #expect(ProxyBypass.ipv4Mask(0) == "0.0.0.0" && ProxyBypass.ipv4Mask(32) == "255.255.255.255")
    }

    /// One line per change: tier, team, action, codes, protocol/port, destinations, figures.
    static func summary(_ change: RemediationChange) -> String {
        func number(_ value: Double) -> String { value.rounded() == value ? String(Int(value)) : String(value) }
        var parts = [change.tier.rawValue, change.team.rawValue, change.action.rawValue, change.why.joined(separator: ",")]
        if let proto = change.protocol { parts.append(proto + (change.port.map { "/\($0)" } ?? "")) }
        if let destinations = change.destinations {
            parts.append(destinations.any ? "any" : (destinations.hostPatterns + destinations.exactHosts + destinations.cidrs).joined(separator: ","))
        }
        if let value = change.value { parts.append("value=\(number(value))") }
        if let measured = change.measured { parts.append("measured=\(number(measured))") }
        if let up = change.upKbps { parts.append("up=\(number(up))") }
        if let down = change.downKbps { parts.append("down=\(number(down))") }
        return parts.joined(separator: " ")
    }
}

extension ProbeResult {
    /// The one probe to `host` on `port` unreachable, every other probe as it was.
    mutating func block(_ proto: TransportProtocol, _ host: String, _ port: Int) {
        reachability = reachability?.map { probe in
            probe.protocol == proto && probe.host == host && probe.port == port ? .init(proto, host, port, reachable: false) : probe
        }
    }
}
