import Foundation
import ReadinessScoring
import Testing
@testable import ReadinessApp

/// A site's change request, spelled out byte for byte as it was answered before its shape was
/// declared once: a change carries only the members that apply to its action.
extension ResponseBytesTests {
    @Test func remediationAnswer() throws {
        var open = RemediationChange(tier: .minimal, team: .firewall, action: .allowOutbound, ruleID: "udp-3478",
                                     kind: .route, why: ["UDP_3478_BLOCKED"], source: .seed, citation: "c \"1\"")
        open.protocol = "udp"
        open.port = 3478
        open.destinations = Destinations(hostPatterns: ["*.example.com"], cidrs: ["10.0.0.0/8"])
        var widen = RemediationChange(tier: .optimal, team: .bandwidth, action: .addBandwidth, ruleID: "bw",
                                      kind: .bandwidth, why: [], source: .derived, citation: "c2")
        widen.upKbps = 120.5
        widen.downKbps = 0
        widen.users = 10
        widen.comparison = .ge
        widen.unit = "kbps"
        widen.measured = 1.25
        widen.value = 30
        widen.noProxy = ".example.com"
        widen.pac = "dnsDomainIs(host, \".example.com\")"
        let verify = Verification(ruleID: "dns", code: "DNS_RESOLUTION_FAILED", kind: .dns, tiers: [.minimal, .optimal],
                                  probe: "dns", detail: "run it", source: .chime, citation: "c3")
        let request = ChangeRequest(policy: "sococo", policyVersion: 2, verdict: .notReady, assessedAt: "2025-12-03T00:00:00Z",
                                    minimal: TeamChanges([open]), optimal: TeamChanges([widen]), toVerify: [verify])
        let remediation = SiteRemediation(siteID: Self.site.apiString, siteName: "HQ", request: request)
        let none = #""bandwidth":[],"dns":[],"firewall":[],"network":[],"proxy":[]"#
        let after = #""tls_inspection":[],"udp_timeout":[],"vpn":[]"#
        let expected = """
            {"assessed_at":"2025-12-03T00:00:00Z","minimal":{"bandwidth":[],"dns":[],"firewall":[{"action":"allow_outbound",\
            "citation":"c \\"1\\"","destinations":{"any":false,"cidrs":["10.0.0.0/8"],"exact_hosts":[],\
            "host_patterns":["*.example.com"]},"kind":"route","port":3478,"protocol":"udp","rule_id":"udp-3478",\
            "source":"seed","team":"firewall","tier":"minimal","why":["UDP_3478_BLOCKED"]}],"network":[],"proxy":[],\
            \(after)},"optimal":{"bandwidth":[{"action":"add_bandwidth","citation":"c2","comparison":"ge",\
            "down_kbps":0,"kind":"bandwidth","measured":1.25,"no_proxy":".example.com",\
            "pac":"dnsDomainIs(host, \\".example.com\\")","rule_id":"bw","source":"derived","team":"bandwidth",\
            "tier":"optimal","unit":"kbps","up_kbps":120.5,"users":10,"value":30,"why":[]}],"dns":[],"firewall":[],\
            "network":[],"proxy":[],\(after)},"policy":"sococo","policy_version":2,\
            "site_id":"12340000-0000-4000-8000-000000000002","site_name":"HQ","to_verify":[{"citation":"c3",\
            "code":"DNS_RESOLUTION_FAILED","detail":"run it","kind":"dns","probe":"dns","rule_id":"dns",\
            "source":"chime","tiers":["minimal","optimal"]}],"verdict":"not_ready"}
            """
        #expect(Self.text(try APIJSON.response(remediation).body) == expected)
        let empty = ChangeRequest(policy: "p", policyVersion: 1, verdict: .optimal, assessedAt: "t",
                                  minimal: TeamChanges(), optimal: TeamChanges(), toVerify: [])
        let page = Page(fetched: [SiteRemediation(siteID: "s", siteName: "n", request: empty)], limit: 5, key: \.siteID)
        #expect(Self.text(try APIJSON.response(page).body) == """
            {"items":[{"assessed_at":"t","minimal":{\(none),\(after)},"optimal":{\(none),\(after)},"policy":"p",\
            "policy_version":1,"site_id":"s","site_name":"n","to_verify":[],"verdict":"optimal"}],"next_cursor":null}
            """)
    }
}
