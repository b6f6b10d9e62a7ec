import Foundation
import JSON
import Postgres
import ReadinessContract
import ReadinessScoring
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// `POST /v1/policies/{policy_name}/preview` against the real server and PostgreSQL: a fleet
/// uploaded through the API, previewed under a stricter RTT limit.
@Suite struct FleetPreviewTests {
    /// Median RTT per site: under the default policy (optimal < 150 ms, minimal <= 400 ms) four
    /// are optimal, one minimal, one not ready; under the candidate (< 100, <= 200) the 130, 140
    /// and 300 ms sites drop a tier.
    static let rtts: [Double] = [21, 90, 130, 140, 300, 500]
    static let tables = ["results", "result_runs", "site_assessments", "site_changes", "policies", "site_window_buckets"]

    struct Fleet {
        let sites: [UUID]
        let admin: String
    }

    static func fleet(_ live: LiveService) async throws -> Fleet {
        var sites: [UUID] = []
        for (index, rtt) in rtts.enumerated() {
            let site = try await live.fixtures.site(name: "site \(index)", region: index < 2 ? "apac" : "emea")
            let agent = try await live.fixtures.agent(site: site)
            for run in 1...3 {
                var json = ResultSamples.json(startedAt: Date().addingTimeInterval(-Double(run) * 300), hostname: "pc-\(index)")
                json["latency"] = [[
                    "host": "media.chime.aws", "protocol": "udp", "samples": 50,
                    "rtt_ms": ["min": rtt / 2, "p50": rtt, "p95": rtt * 1.5, "max": rtt * 2], "jitter_ms": 2.4, "loss_pct": 0,
                ]]
                let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.data(json))
                #expect(response.status == 202 || response.status == 201 || response.status == 200)
            }
            sites.append(site)
        }
        return Fleet(sites: sites, admin: try await live.fixtures.token(.admin))
    }

    /// The default policy with other RTT limits, as the JSON body of a candidate.
    static func candidate(optimal: Double = 100, minimal: Double = 200, destinations: [String]? = nil) throws -> Data {
        var document = try BundledPolicy.sococo().document
        for index in document.rules.indices where document.rules[index].kind == "rtt" {
            for tier in document.rules[index].tiers.indices {
                let isOptimal = document.rules[index].tiers[tier].tier == "optimal"
                document.rules[index].tiers[tier].limit?.value = isOptimal ? optimal : minimal
            }
            if let destinations { document.rules[index].destinations = destinations }
        }
        return try JSONEncoder().encode(document)
    }

    static func counts(_ live: LiveService) async throws -> [Int] {
        var counts: [Int] = []
        for table in tables { counts.append(try await live.reads.count(table)) }
        return counts
    }

    /// Each site re-scored one by one from its decoded bodies with `Policy.assess`.
    static func oneByOne(_ live: LiveService, sites: [UUID], candidate: Policy) async throws -> [UUID: (Verdict, Verdict)] {
        let current = try BundledPolicy.sococo()
        let parameters = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        var verdicts: [UUID: (Verdict, Verdict)] = [:]
        for site in sites {
            let rows = try await live.database.query("SELECT body FROM results WHERE site_id = \(site)")
            let results = try rows.map { row in
                try APIJSON.decoder.decode(ProbeResult.self, from: Data(try row.decode(PostgresJSON.self, column: "body").bytes))
            }
            let now = Date()
            verdicts[site] = (current.assess(results, site: parameters, now: now).verdict,
                              candidate.assess(results, site: parameters, now: now).verdict)
        }
        return verdicts
    }

    @Test func aStricterRTTLimitChangesWhatReScoringEachSiteChangesAndWritesNothing() async throws {
        try await LiveService.with { live in
            let fleet = try await Self.fleet(live)
            let before = try await Self.counts(live)
            let body = try Self.candidate()
            let response = try await live.client.send("POST", "/v1/policies/sococo/preview", token: fleet.admin, body: body)
            #expect(response.status == 200)
            let answer = try response.decoded(PreviewAnswer.self)

            let document = try JSONDecoder().decode(PolicyDocument.self, from: body)
            let expected = try await Self.oneByOne(live, sites: fleet.sites, candidate: try Policy(document: document))
            func tally(_ side: (Verdict, Verdict) -> Verdict) -> [String: Int] {
                var counts = ["optimal": 0, "minimal": 0, "not_ready": 0, "insufficient_data": 0, "stale": 0]
                for pair in expected.values { counts[side(pair.0, pair.1).rawValue, default: 0] += 1 }
                return counts
            }
            #expect(answer.verdictsBefore == tally { old, _ in old })
            #expect(answer.verdictsAfter == tally { _, new in new })
            #expect(answer.verdictsBefore == ["optimal": 4, "minimal": 1, "not_ready": 1, "insufficient_data": 0, "stale": 0])
            #expect(answer.sites == 6)
            #expect(answer.changedSites == 3)
            #expect(try JSONParser.parse(response.body)["candidate_version"] == .null)
            #expect(answer.rulesReadFromBodies == [])
            #expect(answer.resultsReadFromBodies == 0)

            let changed = fleet.sites.filter { expected[$0].map { $0.0 != $0.1 } ?? false }.map { $0.uuidString.lowercased() }.sorted()
            #expect(answer.items.map(\.siteId) == changed)
            for item in answer.items {
                let site = try #require(UUID(uuidString: item.siteId))
                #expect(item.before.verdict == expected[site]?.0.rawValue)
                #expect(item.after.verdict == expected[site]?.1.rawValue)
                #expect(item.findings.map(\.code) == ["RTT_HIGH"])
            }
            // RTT_HIGH starts warning or failing at the 130 and 140 ms sites (300 ms failed already).
            #expect(answer.findingsAppearing.map { "\($0.code):\($0.sites)" } == ["RTT_HIGH:2"])
            #expect(answer.findingsClearing.isEmpty)
            #expect(try await Self.counts(live) == before)
        }
    }

    @Test func aRuleWithOtherDestinationsIsReadFromBodiesAndAgreesWithReScoring() async throws {
        try await LiveService.with { live in
            let fleet = try await Self.fleet(live)
            let before = try await Self.counts(live)
            let body = try Self.candidate(destinations: ["*.chime.aws"])
            let response = try await live.client.send("POST", "/v1/policies/sococo/preview", token: fleet.admin, body: body)
            #expect(response.status == 200)
            let answer = try response.decoded(PreviewAnswer.self)
            #expect(answer.rulesReadFromBodies == ["rtt"])
            #expect(answer.resultsReadFromBodies == 18)
            let expected = try await Self.oneByOne(
                live, sites: fleet.sites, candidate: try Policy(document: try JSONDecoder().decode(PolicyDocument.self, from: body)))
            #expect(answer.changedSites == expected.values.filter { $0.0 != $0.1 }.count)
            #expect(try await Self.counts(live) == before)
        }
    }

    @Test func pagesFiltersCSVAndStoredVersions() async throws {
        try await LiveService.with { live in
            let fleet = try await Self.fleet(live)
            let body = try Self.candidate()
            let first = try await live.client.send("POST", "/v1/policies/sococo/preview?limit=2", token: fleet.admin, body: body)
            #expect(first.status == 200)
            let firstPage = try first.decoded(PreviewAnswer.self)
            #expect(firstPage.items.count == 2)
            let cursor = try #require(firstPage.nextCursor)
            #expect(first.header("Link")?.contains("cursor=\(cursor)") == true)
            let second = try await live.client.send("POST", "/v1/policies/sococo/preview?limit=2&cursor=\(cursor)", token: fleet.admin, body: body)
            let secondPage = try second.decoded(PreviewAnswer.self)
            #expect(secondPage.items.count == 1)
            #expect(try JSONParser.parse(second.body)["next_cursor"] == .null)
            #expect(secondPage.changedSites == 3)

            // The 130 ms site is in emea, the 90 ms one (unchanged) in apac.
            let apac = try await live.client.send("POST", "/v1/policies/sococo/preview?region=apac", token: fleet.admin, body: body)
            let apacAnswer = try apac.decoded(PreviewAnswer.self)
            #expect(apacAnswer.sites == 2)
            #expect(apacAnswer.changedSites == 0)
            let named = try await live.client.send(
                "POST", "/v1/policies/sococo/preview?site_id=\(fleet.sites[2]),\(fleet.sites[3])", token: fleet.admin, body: body)
            let namedAnswer = try named.decoded(PreviewAnswer.self)
            #expect(namedAnswer.sites == 2)
            #expect(namedAnswer.changedSites == 2)

            let csv = try await live.client.send(
                "POST", "/v1/policies/sococo/preview", token: fleet.admin, headers: ["Accept": "text/csv"], body: body)
            #expect(csv.status == 200)
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == PreviewCSV.header.joined(separator: ","))
            #expect(lines.count == 4)
            #expect(lines.contains { $0.contains("not_ready") && $0.contains("RTT_HIGH:fail@optimal>fail@minimal") })

            // The current version itself changes nothing.
            let same = try await live.client.send("POST", "/v1/policies/sococo/preview", token: fleet.admin, body: Data(#"{"version": 1}"#.utf8))
            #expect(same.status == 200)
            let sameAnswer = try same.decoded(PreviewAnswer.self)
            #expect(sameAnswer.candidateVersion == 1)
            #expect(sameAnswer.changedSites == 0)
        }
    }

    @Test func refusesInvalidCandidatesUnknownPoliciesAndNonAdmins() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let reader = try await live.fixtures.token(.read)
            let body = try Self.candidate()
            #expect(try await live.client.send("POST", "/v1/policies/sococo/preview", token: reader, body: body).status == 403)
            #expect(try await live.client.send("POST", "/v1/policies/sococo/preview", body: body).status == 401)
            #expect(try await live.client.send("POST", "/v1/policies/acme/preview", token: admin, body: body).status == 404)
            #expect(try await live.client.send(
                "POST", "/v1/policies/sococo/preview", token: admin, body: Data(#"{"version": 9}"#.utf8)).status == 404)

            // The same 422 as publishing the document as a version.
            var broken = try PolicyDocumentTree(json: body)
            broken["/freshness_window_s"] = "a day"
            let brokenBody = try broken.body()
            let preview = try await live.client.send("POST", "/v1/policies/sococo/preview", token: admin, body: brokenBody)
            let publish = try await live.client.send("POST", "/v1/policies/sococo/versions", token: admin, body: brokenBody)
            #expect(preview.status == 422)
            #expect(publish.status == 422)
            let errors = try #require(try preview.decoded(ProblemBody.self).errors)
            #expect(errors.contains { $0.pointer == "/freshness_window_s" })
            // Member for member, not only the members ProblemBody reads.
            #expect(try JSONParser.parse(preview.body)["errors"] == JSONParser.parse(publish.body)["errors"])
            #expect(try await live.client.send(
                "POST", "/v1/policies/sococo/preview", token: admin, body: Data(#"{"version": "one"}"#.utf8)).status == 422)
            #expect(try await live.client.send(
                "POST", "/v1/policies/sococo/preview?site_id=nope", token: admin, body: body).status == 400)
            #expect(try await live.reads.count("policies") == 1)
        }
    }
}
