import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The remediation operations through the real server and PostgreSQL, from real uploads.
@Suite struct RemediationAPITests {
    /// `ReadFixtures.goodJSON` with UDP 3478 to the media servers blocked: only the optimal
    /// tier's media route fails.
    static func udpBlocked(at: Date) -> String {
        ReadFixtures.goodJSON(at: at).replacingOccurrences(
            of: #"{"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":true,"connect_ms":20}"#,
            with: #"{"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":false,"error":"timeout"}"#)
    }

    /// A site whose agent uploaded `json`; returns the site id.
    static func siteWithUpload(_ live: LiveService, name: String, json: String) async throws -> UUID {
        let site = try await live.fixtures.site(name: name)
        let agent = try await live.fixtures.agent(site: site)
        let upload = try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(json.utf8))
        #expect(upload.status == 201)
        return site
    }

    @Test func aSiteGetsTheFirewallRuleItsFindingNeedsInEveryForm() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await Self.siteWithUpload(live, name: "Lisbon", json: Self.udpBlocked(at: Date().addingTimeInterval(-300)))
            let path = "/v1/sites/\(site)/remediation"

            let json = try await live.client.get(path, token: token)
            #expect(json.status == 200)
            #expect(json.header("Content-Type") == "application/json")
            let body = try json.decoded(RemediationAnswer.self)
            #expect(body.siteId == site.uuidString.lowercased())
            #expect(body.verdict == "minimal")
            #expect(body.minimal.values.allSatisfy { $0.isEmpty })
            let firewall = try #require(body.optimal["firewall"])
            #expect(firewall.count == 1)
            #expect(firewall.first?.protocol == "udp" && firewall.first?.port == 3478)
            #expect(firewall.first?.why == ["UDP_3478_BLOCKED"])
            let destinations = try #require(firewall.first?.destinations)
            #expect(destinations.hostPatterns == ["*.chime.aws"])
            #expect(destinations.cidrs == ["99.77.128.0/18"])
            #expect(body.optimal.filter { $0.key != "firewall" }.values.allSatisfy { $0.isEmpty })
            #expect(body.toVerify.isEmpty)

            let csv = try await live.client.get(path, token: token, headers: ["Accept": "text/csv"])
            #expect(csv.status == 200)
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            let rows = CSVReader.rows(csv.text)
            #expect(rows.count == 1)
            #expect(rows.first?["tier"] == "optimal" && rows.first?["team"] == "firewall" && rows.first?["port"] == "3478")
            #expect(rows.first?["cidrs"] == "99.77.128.0/18" && rows.first?["why"] == "UDP_3478_BLOCKED")

            let text = try await live.client.get(path, token: token, headers: ["Accept": "text/plain"])
            #expect(text.status == 200)
            #expect(text.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(text.text.contains("Allow outbound UDP port 3478 to hosts matching *.chime.aws; the networks 99.77.128.0/18."))
            #expect(text.text.contains("Source: the Amazon Chime administration guide: Amazon Chime administration guide, media"))

            let refused = try await live.client.get(path, token: token, headers: ["Accept": "application/xml"])
            #expect(refused.status == 406)
            #expect(try refused.decoded(ProblemBody.self).type == "/problems/not-acceptable")
        }
    }

    @Test func aCleanSiteNeedsNothingAndANewSiteHasEverythingToVerify() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let clean = try await Self.siteWithUpload(live, name: "Clean", json: ReadFixtures.goodJSON(at: Date().addingTimeInterval(-300)))
            let body = try await live.client.get("/v1/sites/\(clean)/remediation", token: token).decoded(RemediationAnswer.self)
            for tier in [body.minimal, body.optimal] {
                #expect(tier.values.allSatisfy { $0.isEmpty })
            }
            #expect(body.toVerify.isEmpty)

            let fresh = try await live.fixtures.site(name: "New")
            let empty = try await live.client.get("/v1/sites/\(fresh)/remediation", token: token).decoded(RemediationAnswer.self)
            #expect(empty.verdict == "stale")
            #expect(empty.toVerify.count == 15 && empty.toVerify.contains { $0.code == "UDP_TIMEOUT_TOO_SHORT" })
        }
    }

    @Test func unknownSitesAre404AndATokenIsNeeded() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let missing = try await live.client.get("/v1/sites/\(UUID())/remediation", token: token)
            #expect(missing.status == 404)
            #expect(try missing.decoded(ProblemBody.self).type == "/problems/not-found")
            #expect(try await live.client.get("/v1/sites/not-a-site/remediation", token: token).status == 404)
            #expect(try await live.client.get("/v1/remediation").status == 401)
        }
    }

    @Test func theFleetFormFiltersAndPagesLikeTheFleetListing() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let now = Date().addingTimeInterval(-300)
            let blocked = try await Self.siteWithUpload(live, name: "Blocked", json: Self.udpBlocked(at: now))
            let clean = try await Self.siteWithUpload(live, name: "Clean", json: ReadFixtures.goodJSON(at: now))
            let other = try await Self.siteWithUpload(live, name: "Also blocked", json: Self.udpBlocked(at: now))

            let filtered = try await live.client.get("/v1/remediation?finding=UDP_3478_BLOCKED", token: token)
            #expect(filtered.status == 200)
            let ids = try filtered.decoded(RemediationListAnswer.self).items.map(\.siteId)
            #expect(Set(ids) == Set([blocked, other].map { $0.uuidString.lowercased() }))
            #expect(ids == ids.sorted())  // by site id, as the fleet listing

            var seen: [String] = []
            var next: String? = "/v1/remediation?limit=2"
            while let path = next {
                let page = try await live.client.get(path, token: token)
                #expect(page.status == 200)
                seen += try page.decoded(RemediationListAnswer.self).items.map(\.siteId)
                next = page.nextLink
            }
            #expect(seen == [blocked, clean, other].map { $0.uuidString.lowercased() }.sorted())

            let csv = try await live.client.get("/v1/remediation?limit=2", token: token, headers: ["Accept": "text/csv"])
            #expect(csv.status == 200 && csv.nextLink != nil)
            let csvSites = Set(CSVReader.rows(csv.text).compactMap { $0["site_id"] })
            #expect(csvSites.isSubset(of: Set([blocked, other].map { $0.uuidString.lowercased() })))

            let text = try await live.client.get("/v1/remediation?finding=UDP_3478_BLOCKED", token: token, headers: ["Accept": "text/plain"])
            #expect(text.text.components(separatedBy: "Network change request for site").count == 3)

            #expect(try await live.client.get("/v1/remediation?verdict=great", token: token).status == 400)
            #expect(try await live.client.get("/v1/remediation", token: token, headers: ["Accept": "image/png"]).status == 406)
        }
    }
}
