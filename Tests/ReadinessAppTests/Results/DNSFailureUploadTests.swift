import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Issue 13 §5 over HTTP: an agent whose resolver fails reports `"error": "dns"`, and the
/// service answers with a resolver finding, not a firewall one.
@Suite struct DNSFailureUploadTests {
    /// The healthy sample with every reachability probe failed at name resolution.
    static func unresolvedBody(_ runID: UUID) -> Data {
        var json = ResultSamples.json(runID: runID)
        json["reachability"] = (json["reachability"] as? [[String: Any]] ?? []).map { probe in
            var probe = probe
            probe["reachable"] = false
            probe["error"] = "dns"
            probe["connect_ms"] = nil
            return probe
        }
        return ResultSamples.data(json)
    }

    @Test func aResultWhoseNamesDidNotResolveIsADNSFindingNotABlockedPort() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let runID = UUID()
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: Self.unresolvedBody(runID))
            #expect(response.status == 201)
            // The upload answer lists every finding that did not pass, unknown ones too.
            let codes = try response.decoded(UploadOutcomeBody.self).assessment.findingCodes
            #expect(codes.contains("DNS_RESOLUTION_FAILED"))

            // The stored evaluation, read back from its compact form, names the hosts.
            let stored = try await live.client.get("/v1/results/\(runID.uuidString.lowercased())", token: read)
            let findings = try stored.decoded(StoredResultBody.self).assessment.findings
            let dns = try #require(findings.first { $0.code == "DNS_RESOLUTION_FAILED" })
            #expect(dns.status == "fail")
            #expect(dns.kind == "dns")
            #expect(dns.hosts == ["app.sococo.com", "media.chime.aws", "reflector.example.net"])
            #expect(dns.remediation.contains("DNS filtering"))
            let tcp = try #require(findings.first { $0.code == "TCP_443_BLOCKED" })
            #expect(tcp.status == "unknown")

            // So does the site's assessment, from the site window.
            let assessment = try await live.client.get("/v1/sites/\(site.uuidString.lowercased())/assessment", token: read)
            #expect(assessment.status == 200)
            let siteFindings = try assessment.decoded(SiteAssessmentBody.self).findings
            let siteDNS = try #require(siteFindings.first { $0.code == "DNS_RESOLUTION_FAILED" })
            #expect(siteDNS.hosts == ["app.sococo.com", "media.chime.aws", "reflector.example.net"])
            #expect(siteFindings.first { $0.code == "TCP_443_BLOCKED" }?.status == "unknown")

            // The fleet view lists what failed or warned: the resolver, not the firewall.
            let fleet = try await live.client.get("/v1/assessments", token: read)
            let row = try #require(try fleet.pageItems(FleetAssessmentBody.self).first { $0.siteId == site.uuidString.lowercased() })
            let failing = row.findingCodes
            #expect(failing == ["DNS_RESOLUTION_FAILED"])
            #expect(!failing.contains("TCP_443_BLOCKED"))
        }
    }

    @Test func anUnknownErrorWordIsStoredAsSent() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let runID = UUID()
            var json = ResultSamples.json(runID: runID, healthy: false)
            json["reachability"] = [["protocol": "tcp", "host": "app.sococo.com", "port": 443, "reachable": false, "error": "ehostdown-v2"]]
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.data(json))
            #expect(response.status == 201)
            let stored = try await live.client.get("/v1/results/\(runID.uuidString.lowercased())", token: read)
            let reachability = try stored.decoded(StoredResultBody.self).result.reachability
            #expect(reachability.first?.error == "ehostdown-v2")
        }
    }
}
