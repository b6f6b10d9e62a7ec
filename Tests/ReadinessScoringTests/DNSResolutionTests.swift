import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// Issue 13 §5: a name that did not resolve is a resolver fault, not a blocked port. Route
/// rules leave such probes out; the built-in `dns-resolution` rule names the hosts.
@Suite struct DNSResolutionTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    /// Every reachability probe of the optimal fixture failed to resolve.
    static let resolverDown = Variation("no name resolves") { result in
        result.reachability = result.reachability?.map {
            .init($0.protocol, $0.host, $0.port, reachable: false, error: "dns")
        }
    }

    @Test func aRouteWithOnlyUnresolvedProbesIsUnknownNotFailed() {
        let evaluation = policy.evaluate(Self.resolverDown)
        for route in ["tcp-443", "udp-443", "sococo-https", "chime-https", "chime-media"] {
            #expect(evaluation.outcomes(route).split(separator: "/").allSatisfy { $0 == "unknown" || $0 == "-" }, "\(route)")
        }
        #expect(!evaluation.findings.contains { $0.code == "TCP_443_BLOCKED" && $0.status == .fail })
        #expect(evaluation.finding("tcp-443")?.observed.probesMatched == 0)
    }

    @Test func theDNSFindingNamesTheUnresolvedHostsAndFailsBothTiers() throws {
        let evaluation = policy.evaluate(Self.resolverDown)
        let finding = try #require(evaluation.finding("dns-resolution"))
        #expect(finding.code == "DNS_RESOLUTION_FAILED")
        #expect(finding.kind == .dns)
        #expect(finding.source == .derived)
        #expect(finding.status == .fail)
        #expect(finding.blocks == .minimal)
        #expect(finding.hosts == ["app.sococo.com", "as-vip.sococo.net", "media.chime.aws", "reflector.example.net"])
        #expect(finding.remediation.contains("resolvers") && finding.remediation.contains("DNS filtering"))
        #expect(evaluation.verdict == .notReady)
    }

    @Test func theCleanFixturePassesTheDNSRuleWithNoHosts() throws {
        let finding = try #require(policy.evaluate(Variation("none") { _ in }).finding("dns-resolution"))
        #expect(finding.status == .pass)
        #expect(finding.hosts == [])
    }

    @Test func aRunWithoutReachabilityLeavesTheDNSRuleUnknown() {
        #expect(policy.evaluate(Variation("no reachability") { $0.reachability = nil }).outcomes("dns-resolution") == "unknown/unknown")
    }

    @Test func mixedUnresolvedAndRefusedCountsOnlyTheRefusedAsBlocked() throws {
        let evaluation = policy.evaluate(Variation("app host unresolved, media host refused") { result in
            result.reachability = [
                .init(.tcp, "app.sococo.com", 443, reachable: false, error: "dns"),
                .init(.tcp, "media.chime.aws", 443, reachable: false, error: "refused"),
                .init(.udp, "reflector.example.net", 443, reachable: true, connectMs: 19),
            ]
        })
        // The refused probe still blocks TCP 443; the unresolved one is not counted against it.
        let tcp = try #require(evaluation.finding("tcp-443"))
        #expect(tcp.status == .fail)
        #expect(tcp.observed.probesMatched == 1)
        #expect(tcp.observed.probesFailed == 1)
        // A route whose only probe did not resolve is unknown.
        #expect(evaluation.outcomes("sococo-https") == "unknown/-")
        #expect(evaluation.finding("dns-resolution")?.hosts == ["app.sococo.com"])
    }

    @Test func anUnknownErrorWordReadsAsOtherAndStillCountsAsAFailedProbe() throws {
        #expect(ProbeResult.ReachabilityProbe(.tcp, "a.example", 443, reachable: false, error: "ENETDOWN").failure == .other)
        #expect(ProbeResult.ReachabilityProbe(.tcp, "a.example", 443, reachable: false, error: "dns").failure == .dns)
        let evaluation = policy.evaluate(Variation("tcp 443 fails with a new word") { result in
            result.reachability = result.reachability?.map {
                $0.protocol == .tcp ? .init(.tcp, $0.host, $0.port, reachable: false, error: "quantum") : $0
            }
        })
        #expect(evaluation.finding("tcp-443")?.status == .fail)
        #expect(evaluation.finding("dns-resolution")?.status == .pass)
    }

    @Test func aWindowWithSomeUnresolvedRunsWarnsAndNamesTheirHosts() throws {
        var broken = Fixtures.optimalResult(runID: UUID(), finishedAt: Fixtures.now.addingTimeInterval(-60))
        Self.resolverDown.apply(&broken)
        let clean = Fixtures.optimalResult(runID: UUID(), finishedAt: Fixtures.now.addingTimeInterval(-30))
        let assessment = policy.assess([broken, clean], site: Fixtures.site, now: Fixtures.now)
        let finding = try #require(assessment.findings.first { $0.ruleID == "dns-resolution" })
        #expect(finding.status == .warn)
        #expect(finding.observed.runs == 2)
        #expect(finding.observed.passFraction == 0.5)
        #expect(finding.hosts?.contains("app.sococo.com") == true)
        // The site window's running sums agree, and forget the hosts when the broken run leaves.
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        window.insert(broken)
        window.insert(clean)
        #expect(window.assess(site: Fixtures.site, now: Fixtures.now)?.findings.last == assessment.findings.last)
        let later = Fixtures.now.addingTimeInterval(policy.freshnessWindow - 45)
        let afterDrop = try #require(window.assess(site: Fixtures.site, now: later)?.findings.last)
        #expect(afterDrop.status == .pass)
        #expect(afterDrop.hosts == [])
    }

    @Test func theCompactFormKeepsTheHosts() throws {
        let evaluation = policy.evaluate(Self.resolverDown)
        let stored = try CompactEvaluation(evaluation).jsonBytes()
        #expect(String(decoding: stored, as: UTF8.self).contains(#""hosts":["app.sococo.com","#))
        let back = try policy.evaluation(try CompactEvaluation.decode(stored))
        #expect(back.finding("dns-resolution")?.hosts == evaluation.finding("dns-resolution")?.hosts)
        #expect(back == evaluation)
    }

    @Test func aDocumentCannotDeclareOrShadowTheBuiltInRule() throws {
        var document = policy.document
        // Not the routes the transport names, whose faults would be reported there too.
        document.rules[5].kind = "dns"
        document.rules[10].id = "dns-resolution"
        document.rules[11].code = "DNS_RESOLUTION_FAILED"
        #expect(throws: PolicyValidationError.self) { try Policy(document: document) }
        do {
            _ = try Policy(document: document)
        } catch {
            #expect(error.faults.map(\.pointer) == ["/rules/5/kind", "/rules/10/id", "/rules/11/code"])
        }
    }

    @Test func everyPolicyEndsWithTheDNSRule() {
        #expect(policy.plans.count == policy.document.rules.count + 1)
        #expect(policy.plans.last?.rule.code == "DNS_RESOLUTION_FAILED")
    }
}
