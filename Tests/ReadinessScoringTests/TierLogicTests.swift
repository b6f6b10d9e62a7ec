import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

@Suite struct TierLogicTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    @Test(arguments: [
        (Variation("everything optimal") { _ in }, Verdict.optimal),
        (Variation("an optimal-only rule fails (UDP 3478 blocked)") { $0.setReachable(.udp, "media.chime.aws", 3478, false) }, .minimal),
        (Variation("RTT between the tiers") { $0.setLatency(rtt: 200) }, .minimal),
        (Variation("a minimal rule fails (RTT 401)") { $0.setLatency(rtt: 401) }, .notReady),
        (Variation("warn-only in minimal: proxy in media path") { $0.network.proxy.inMediaPath = true }, .minimal),
        (Variation("warn-only in minimal: full-tunnel VPN") { $0.network.vpn = .init(present: true, tunnel: .full, mediaExcluded: false) }, .minimal),
        (Variation("warn-only in minimal: TLS inspection") { $0.tlsInspection = [.init(host: "app.sococo.com", intercepted: true)] }, .minimal),
        (Variation("one unknown minimal rule (no bandwidth)") { $0.bandwidth = nil }, .insufficientData),
        (Variation("unknown minimal and a failing minimal rule") { $0.bandwidth = nil; $0.setLatency(loss: 6) }, .notReady),
        (Variation("only an optimal tier unknown (stopped-early UDP probe)") { $0.udpTimeout = .init(lowerBoundS: 600, probeMaxS: 600) }, .minimal),
        (Variation("gateway blocks websocket") { $0.gateway?[0].allowed = false }, .notReady),
    ])
    func derivesTheVerdictFromTierOutcomes(variation: Variation, expected: Verdict) {
        #expect(policy.evaluate(variation).verdict == expected)
    }

    @Test(arguments: [
        (Variation("everything optimal") { _ in }, 80...100),
        (Variation("minimal") { $0.setLatency(rtt: 200) }, 50...79),
        (Variation("not ready") { $0.setLatency(rtt: 401) }, 0...49),
        (Variation("not ready in every way") {
            $0.setLatency(rtt: 900, jitter: 300, loss: 60)
            $0.reachability = $0.reachability?.map { var probe = $0; probe.reachable = false; return probe }
            $0.bandwidth = .init(downKbps: 1, upKbps: 1)
            $0.udpTimeout = .init(lowerBoundS: 30, upperBoundS: 60, probeMaxS: 600)
            $0.gateway?[0].allowed = false
        }, 0...49),
    ])
    func keepsTheScoreInsideTheVerdictsBand(variation: Variation, band: ClosedRange<Int>) throws {
        let score = try #require(policy.evaluate(variation).score)
        #expect(band.contains(score))
    }

    @Test func hasNoScoreForInsufficientData() {
        #expect(policy.evaluate(Variation("no bandwidth") { $0.bandwidth = nil }).score == nil)
    }

    /// Optimal fixture: RTT 40/150 → q 0.7333; jitter 5/30 → 0.8333; loss 0/1 → 1;
    /// bandwidth r = min(38000/6300, 94000/30675) = 3.0644 → q = 1 − 1/3.0644 = 0.6737.
    /// Q = (0.7333 + 0.8333 + 1 + 0.6737) / 4 = 0.8101; score = 80 + ⌊20 × 0.8101⌋ = 96.
    @Test func computesTheScoreByTheDocumentedFormula() {
        #expect(policy.evaluate(Variation("none") { _ in }).score == 96)
    }

    @Test(arguments: [
        (Variation("everything") { _ in }, Transport.udpMediaDirect),
        (Variation("UDP 3478 blocked") { $0.setReachable(.udp, "media.chime.aws", 3478, false) }, .udp443Only),
        (Variation("all UDP blocked") {
            $0.setReachable(.udp, "media.chime.aws", 3478, false)
            $0.setReachable(.udp, "reflector.example.net", 443, false)
        }, .tcpTLSFallback),
        (Variation("nothing reachable") { $0.reachability = $0.reachability?.map { var p = $0; p.reachable = false; return p } }, Transport.none),
    ])
    func findsTheTransportTheSiteEndsOn(variation: Variation, expected: Transport) {
        #expect(policy.evaluate(variation).transport == expected)
    }

    @Test func hasNoTransportWithoutReachabilityData() {
        #expect(policy.evaluate(Variation("none") { $0.reachability = nil }).transport == nil)
    }
}
