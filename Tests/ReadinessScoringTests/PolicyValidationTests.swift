import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

@Suite struct PolicyValidationTests {
    private func faults(_ edit: (inout PolicyDocument) -> Void) throws -> [ValidationFault] {
        var document = try Fixtures.policy().document
        edit(&document)
        do {
            _ = try Policy(document: document)
            return []
        } catch {
            return error.faults
        }
    }

    @Test func shipsTheDefaultPolicyAsSococoVersion1WithASourceOnEveryRule() throws {
        let policy = try Fixtures.policy()
        #expect(policy.name == "sococo" && policy.version == 1 && policy.freshnessWindow == 86_400)
        #expect(policy.document.rules.map(\.id) == [
            "tcp-443", "udp-443", "sococo-https", "chime-https", "chime-media", "direct-media-path", "vpn-media-path",
            "gateway-allows-media", "no-tls-inspection", "udp-timeout", "rtt", "jitter", "loss", "bandwidth",
        ])
        #expect(policy.document.rules.allSatisfy { SourceTag(rawValue: $0.source) != nil && !$0.citation.isEmpty })
    }

    @Test func roundTripsTheDocumentThroughJSON() throws {
        let document = try Fixtures.policy().document
        let data = try JSONEncoder().encode(document)
        #expect(try Policy(json: data).document == document)
    }

    @Test(arguments: [
        ("99.77.128.0/33", "bad prefix length"), ("99.77.128.1/18", "host bits are set"),
        ("99.77.300.0/18", "bad address"), ("2001:db8::/129", "bad prefix length"), ("exa mple.com", "not a host name"),
    ])
    func rejectsABadDestinationNamingIt(destination: String, reason: String) throws {
        let found = try faults { $0.rules[4].route?.destinations[1] = destination }
        #expect(found.map(\.pointer) == ["/rules/4/route/destinations/1"])
        #expect(found.first?.message.contains(reason) == true)
    }

    @Test func rejectsAnOptimalThresholdLooserThanTheMinimalOne() throws {
        #expect(try faults { $0.rules[10].tiers[0].limit?.value = 450 }.map(\.pointer) == ["/rules/10/tiers/0/limit/value"])
        // Equal values: optimal `le` 50 accepts 50, minimal `lt` 50 does not: looser.
        let jitter = try faults { $0.rules[11].tiers[0].limit = .init(comparison: "le", value: 50) }
        #expect(jitter.map(\.pointer) == ["/rules/11/tiers/0/limit/value"])
        // UDP timeout is "higher is better": an optimal floor of 100 is below minimal's 120.
        #expect(try faults { $0.rules[9].tiers[0].limit?.value = 100 }.map(\.pointer) == ["/rules/9/tiers/0/limit/value"])
    }

    @Test func rejectsDuplicateRuleIDsAndCodes() throws {
        let found = try faults { $0.rules[12].id = "rtt"; $0.rules[12].code = "RTT_HIGH" }
        #expect(found.map(\.pointer) == ["/rules/12/id", "/rules/12/code"])
    }

    @Test func rejectsAnUnknownTierKindSourceAndComparison() throws {
        let found = try faults {
            $0.rules[0].tiers[0].tier = "gold"
            $0.rules[1].source = "rumour"
            $0.rules[2].kind = "dns"
            $0.rules[11].tiers[1].limit?.comparison = "gt"
        }
        #expect(found.map(\.pointer) == ["/rules/0/tiers/0/tier", "/rules/1/source", "/rules/2/kind", "/rules/11/tiers/1/limit/comparison"])
    }

    @Test func rejectsATransportThatNamesNoRouteAndAMissingProfile() throws {
        let found = try faults { $0.transport.mediaRoute = "rtt"; $0.rules[13].tiers[1].profile = nil }
        #expect(found.map(\.pointer) == ["/rules/13/tiers/1/profile", "/transport/media_route"])
    }

    @Test func reportsAStructuralErrorWithItsPointer() throws {
        let json = #"{"policy":"x","version":"one","title":"","freshness_window_s":1,"transport":{},"rules":[]}"#
        #expect(throws: PolicyValidationError(faults: [ValidationFault(pointer: "/version", message: "must be of type Int")])) {
            try Policy(json: Data(json.utf8))
        }
    }
}
