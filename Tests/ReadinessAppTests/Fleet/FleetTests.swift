import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct FleetTests {
    /// Five live sites and one archived: A optimal (emea, hq), B not_ready (apac), C minimal
    /// (emea, a name that needs CSV quoting), D never assessed, E last seen 3 days ago.
    struct Fleet {
        var a, b, c, d, e: UUID
    }

    static func seed(_ live: LiveService) async throws -> Fleet {
        let now = Date()
        let a = try await live.fixtures.site(name: "Berlin", region: "emea", tags: ["hq"])
        let b = try await live.fixtures.site(name: "Tokyo", region: "apac")
        let c = try await live.fixtures.site(name: "Lisbon, \"Main\"", region: "emea")
        let d = try await live.fixtures.site(name: "Warehouse", region: nil)
        let e = try await live.fixtures.site(name: "Sydney", region: "apac")
        let archived = try await live.fixtures.site(name: "Gone", region: "emea", tags: ["hq"])
        try await live.database.execute("UPDATE sites SET archived_at = now() WHERE id = \(archived)")
        try await live.reads.assessment(site: a, verdict: "optimal", score: 92, newest: now - 600)
        try await live.reads.assessment(site: b, verdict: "not_ready", score: 30, codes: ["UDP_3478_BLOCKED", "RTT_HIGH"], newest: now - 600)
        try await live.reads.assessment(site: c, verdict: "minimal", score: 70, codes: ["UDP_3478_BLOCKED"], newest: now - 60)
        try await live.reads.assessment(site: e, verdict: "optimal", score: 90, newest: now - 3 * 86_400)
        try await live.reads.assessment(site: archived, verdict: "optimal", score: 90, codes: ["UDP_3478_BLOCKED"], newest: now)
        // Sites are listed by id: sort the expectations the same way.
        return Fleet(a: a, b: b, c: c, d: d, e: e)
    }

    static func ids(_ response: APIClient.Response) throws -> Set<String> {
        Set(try response.pageItems(FleetAssessmentBody.self).map(\.siteId))
    }

    @Test func filtersCombineOverTheCurrentAssessments() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let f = try await Self.seed(live)
            func list(_ query: String) async throws -> Set<String> {
                let response = try await live.client.get("/v1/assessments?\(query)", token: token)
                #expect(response.status == 200, "\(query)")
                return try Self.ids(response)
            }
            func set(_ ids: UUID...) -> Set<String> { Set(ids.map { $0.uuidString.lowercased() }) }
            #expect(try await list("") == set(f.a, f.b, f.c, f.d, f.e))
            #expect(try await list("verdict=not_ready") == set(f.b))
            #expect(try await list("verdict=optimal") == set(f.a))  // E's optimal is stale now
            #expect(try await list("verdict=stale") == set(f.d, f.e))
            #expect(try await list("region=emea") == set(f.a, f.c))
            #expect(try await list("tag=hq") == set(f.a))
            #expect(try await list("finding=UDP_3478_BLOCKED") == set(f.b, f.c))
            #expect(try await list("finding=UDP_3478_BLOCKED&region=apac") == set(f.b))
            #expect(try await list("stale=true") == set(f.d, f.e))
            #expect(try await list("stale=false") == set(f.a, f.b, f.c))

            let stale = try await live.client.get("/v1/assessments?verdict=stale", token: token)
            // `FleetAssessmentBody` requires the nullable members: nil below is a written null.
            let rows = try stale.pageItems(FleetAssessmentBody.self)
            let sydney = try #require(rows.first { $0.siteName == "Sydney" })
            #expect(sydney.verdict == "stale")
            #expect(sydney.score == nil)
            #expect(sydney.newestResultAt != nil)
            let warehouse = try #require(rows.first { $0.siteName == "Warehouse" })
            #expect(warehouse.newestResultAt == nil)
            #expect(warehouse.region == nil)
        }
    }

    @Test(arguments: ["verdict=great", "stale=yes", "finding=lower_case", "limit=501", "cursor=zzz"])
    func badFiltersAre400(query: String) async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let response = try await live.client.get("/v1/assessments?\(query)", token: token)
            #expect(response.status == 400)
            #expect(try response.problemPointers().count == 1)
        }
    }

    /// A cursor this service issued, but for another list (a change list's sequence number),
    /// is refused by each list keyed by site id, naming the cursor.
    @Test(arguments: ["/v1/assessments", "/v1/remediation"])
    func aCursorOfAnotherListIsRefused(path: String) async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let response = try await live.client.get("\(path)?cursor=\(Cursor.encode("42"))", token: token)
            #expect(response.status == 400)
            #expect(try response.problemPointers() == ["/query/cursor"])
            #expect(try response.decoded(ProblemBody.self).errors?.first?.detail == "is not a cursor of this list")
        }
    }

    @Test func pagesFollowTheLinkHeaderInJSONAndCSV() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            _ = try await Self.seed(live)
            var seen: [String] = []
            var path: String? = "/v1/assessments?limit=2"
            while let next = path {
                let page = try await live.client.get(next, token: token, headers: ["Accept": "text/csv"])
                #expect(page.status == 200)
                #expect(page.header("Content-Type")?.hasPrefix("text/csv") == true)
                let lines = page.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(lines.first == "site_id,site_name,region,verdict,score,mos,transport,finding_codes,newest_result_at")
                seen += lines.dropFirst()
                path = page.header("Link").flatMap { link in
                    link.split(separator: ">").first.map { String($0.dropFirst()) }
                }
            }
            #expect(seen.count == 5)
            #expect(seen.contains { $0.contains(",\"Lisbon, \"\"Main\"\"\",emea,minimal,70,4.3,udp_media_direct,UDP_3478_BLOCKED,") })
            #expect(seen.contains { $0.contains(",Tokyo,apac,not_ready,30,4.3,udp_media_direct,UDP_3478_BLOCKED;RTT_HIGH,") })
            #expect(seen.contains { $0.contains(",Warehouse,,stale,,,,,") })

            let json = try await live.client.get("/v1/assessments?limit=2", token: token)
            #expect(json.header("Content-Type") == "application/json")
            let page = try json.decoded(Page<FleetAssessmentBody>.self)
            #expect(page.items.count == 2)
            #expect(page.nextCursor != nil)
        }
    }

    @Test func summaryCountsVerdictsFindingsAndStaleSites() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let f = try await Self.seed(live)
            let response = try await live.client.get("/v1/fleet/summary", token: token)
            #expect(response.status == 200)
            let body = try response.decoded(FleetSummaryBody.self)
            #expect(body.siteCount == 5)
            #expect(body.byVerdict == ["optimal": 1, "minimal": 1, "not_ready": 1, "insufficient_data": 0, "stale": 2])
            let top = try #require(body.topFindings.first)
            #expect(top.code == "UDP_3478_BLOCKED")
            #expect(top.siteCount == 2)
            #expect(Set(top.siteIds) == Set([f.b, f.c].map { $0.uuidString.lowercased() }))
            #expect(body.staleSites.map(\.name) == ["Warehouse", "Sydney"])
        }
    }

    /// `/metrics` reports the same fleet as the summary: sites by verdict (stale included)
    /// and sites by finding code, with no site id among the labels.
    @Test func metricsGaugeTheFleetAsTheSummaryCountsIt() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let f = try await Self.seed(live)
            let scraped = try await live.client.get("/metrics", token: token)
            #expect(scraped.status == 200)
            let samples = MetricsTests.samples(scraped.text)
            for (verdict, sites) in ["optimal": 1, "minimal": 1, "not_ready": 1, "insufficient_data": 0, "stale": 2] {
                #expect(samples["readiness_fleet_sites{verdict=\"\(verdict)\"}"] == Double(sites), "\(verdict)")
            }
            #expect(samples[#"readiness_fleet_sites_with_finding{code="UDP_3478_BLOCKED"}"#] == 2)
            #expect(samples[#"readiness_fleet_sites_with_finding{code="RTT_HIGH"}"#] == 1)
            #expect(scraped.text.contains("# TYPE readiness_fleet_sites gauge"))
            for site in [f.a, f.b, f.c] { #expect(!scraped.text.contains(site.uuidString.lowercased())) }
        }
    }

    /// Staleness follows the freshness window of the policy version that made each assessment
    /// (the `policies.freshness_window_s` column, migration 0010): two hours without a result is
    /// stale under a one-hour window and fresh under the default 24 hours.
    @Test func stalenessFollowsEachAssessmentsPolicyWindow() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            try await live.database.execute(
                """
                INSERT INTO policies (name, version, document)
                SELECT name, 2, jsonb_set(document, '{freshness_window_s}', '3600') FROM policies
                WHERE name = 'sococo' AND version = 1
                """)
            let hourly = try await live.fixtures.site(name: "Hourly", region: nil)
            let daily = try await live.fixtures.site(name: "Daily", region: nil)
            let twoHoursAgo = Date() - 7_200
            try await live.reads.assessment(site: hourly, verdict: "optimal", score: 90, newest: twoHoursAgo, policyVersion: 2)
            try await live.reads.assessment(site: daily, verdict: "optimal", score: 90, newest: twoHoursAgo)
            let stale = try await live.client.get("/v1/assessments?stale=true", token: token)
            #expect(try Self.ids(stale) == [hourly.uuidString.lowercased()])
            let fresh = try await live.client.get("/v1/assessments?verdict=optimal", token: token)
            #expect(try Self.ids(fresh) == [daily.uuidString.lowercased()])
            let summary = try await live.client.get("/v1/fleet/summary", token: token).decoded(FleetSummaryBody.self)
            #expect(summary.staleSites.map(\.name) == ["Hourly"])
        }
    }

    @Test func fleetOperationsNeedAReadToken() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            for path in ["/v1/assessments", "/v1/fleet/summary", "/v1/fleet/history"] {
                #expect(try await live.client.get(path).status == 401)
                #expect(try await live.client.get(path, token: agent.token).status == 403)
            }
        }
    }
}
