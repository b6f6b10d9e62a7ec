import Foundation
import ReadinessContract
import ReadinessScoring
import Testing
@testable import ReadinessApp

/// The CSV and text forms carry every change of the JSON form, and only those; Accept picks the form.
@Suite struct RemediationFormsTests {
    /// A site whose results fail most rules at once, so every team has something to do.
    static func remediation() throws -> SiteRemediation {
        let policy = try BundledPolicy.sococo()
        var result = try #require(try? ProbeResultDecoder.decode(Array(goodResult.utf8), now: Date(timeIntervalSince1970: 2_000_000_000)).get().results.first)
        result.network.proxy = .init(present: true, kind: .explicit, inMediaPath: true)
        result.network.vpn = .init(present: true, tunnel: .full, mediaExcluded: false)
        result.tlsInspection = [.init(host: "app.sococo.com", intercepted: true, issuer: "Corp, \"Inspecting\" CA")]
        result.udpTimeout = .init(lowerBoundS: 90, upperBoundS: 100, probeMaxS: 3600)
        result.bandwidth = .init(downKbps: 1000.5, upKbps: 200)
        result.reachability = result.reachability?.map { $0.port == 3478 ? .init(.udp, $0.host, 3478, reachable: false) : $0 }
        result.gateway = nil
        let assessment = policy.assess([result], site: SiteParameters(expectedConcurrentUsers: 12, longestCallS: 5400),
                                       now: result.finishedAt.addingTimeInterval(60))
        return SiteRemediation(siteID: UUID().uuidString.lowercased(), siteName: "Lisbon, \"Main\"",
                               request: policy.changeRequest(for: assessment))
    }

    /// 200 ms round trips (above the optimal bound) on an otherwise good network.
    static let goodResult = ReadFixtures.resultJSON(runID: UUID(), at: Date(timeIntervalSince1970: 1_795_996_800), rtt: 200, loss: 0)

    @Test func csvRoundTripsEveryChangeAndRuleToVerify() throws {
        let site = try Self.remediation()
        let request = site.request
        #expect(request.changes.count >= 8 && !request.toVerify.isEmpty)
        let text = RemediationCSV.body([site])
        let records = CSVReader.records(text)
        #expect(records.first == RemediationCSV.header)
        #expect(records.allSatisfy { $0.count == RemediationCSV.header.count })
        let rows = CSVReader.rows(text)
        let changes = rows.filter { $0["section"] == "change" }
        #expect(changes.count == request.changes.count)
        func list(_ cell: String?) -> [String] { (cell ?? "").split(separator: " ").map(String.init) }
        func number(_ cell: String?) -> Double? { cell.flatMap { $0.isEmpty ? nil : Double($0) } }
        let parsed: [RemediationChange] = try changes.map { row in
            var change = RemediationChange(
                tier: try #require(Tier(rawValue: row["tier"] ?? "")), team: try #require(RemediationTeam(rawValue: row["team"] ?? "")),
                action: try #require(ChangeAction(rawValue: row["action"] ?? "")), ruleID: row["rule_id"] ?? "",
                kind: try #require(RuleKind(rawValue: row["kind"] ?? "")), why: list(row["why"]),
                source: try #require(SourceTag(rawValue: row["source"] ?? "")), citation: row["citation"] ?? "")
            change.protocol = row["protocol"].flatMap { $0.isEmpty ? nil : $0 }
            change.port = row["port"].flatMap { Int($0) }
            if let any = row["any_destination"], !any.isEmpty {
                change.destinations = Destinations(any: any == "true", hostPatterns: list(row["host_patterns"]),
                                                   exactHosts: list(row["exact_hosts"]), cidrs: list(row["cidrs"]))
            }
            change.value = number(row["value"])
            change.comparison = row["comparison"].flatMap { Comparison(rawValue: $0) }
            change.unit = row["unit"].flatMap { $0.isEmpty ? nil : $0 }
            change.measured = number(row["measured"])
            change.upKbps = number(row["up_kbps"])
            change.downKbps = number(row["down_kbps"])
            change.users = row["users"].flatMap { Int($0) }
            #expect(row["site_name"] == site.siteName && row["site_id"] == site.siteID)
            return change
        }
        // The proxy's no_proxy and PAC forms are derived from its destinations: left out of the CSV.
        let expected = request.changes.map { change -> RemediationChange in
            var change = change
            change.noProxy = nil
            change.pac = nil
            return change
        }
        #expect(parsed == expected)
        let verify = rows.filter { $0["section"] == "to_verify" }
        #expect(verify.map { $0["rule_id"] ?? "" } == request.toVerify.map(\.ruleID))
        #expect(verify.map { $0["probe"] ?? "" } == request.toVerify.map(\.probe))
        #expect(verify.map { list($0["tier"]) } == request.toVerify.map { $0.tiers.map(\.rawValue) })
    }

    /// Read back by its headings: every change in its tier and team, with its codes and rule,
    /// in order, each citing its source.
    @Test func textRoundTripsEveryChange() throws {
        let site = try Self.remediation()
        let text = RemediationText.document(site)
        var tier: Tier?
        var team: RemediationTeam?
        var parsed: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("To reach the minimal tier") { tier = .minimal }
            if line.hasPrefix("To reach the optimal tier") { tier = .optimal }
            if line.hasPrefix("To verify") { tier = nil }
            if let named = RemediationTeam.allCases.first(where: { line == "  \(RemediationText.teamTitle($0)):" }) { team = named }
            if line.hasPrefix("       Why: "), let tier, let team {
                parsed.append("\(tier.rawValue) \(team.rawValue) " + line.dropFirst("       Why: ".count))
            }
        }
        #expect(parsed == site.request.changes.map { "\($0.tier.rawValue) \($0.team.rawValue) \($0.why.joined(separator: ", ")) (rule \($0.ruleID))." })
        for change in site.request.changes {
            #expect(text.contains("Source: \(RemediationText.sourceWords(change.source)): \(change.citation)"))
        }
        for item in site.request.toVerify { #expect(text.contains("- \(item.code) (rule \(item.ruleID)")) }
        #expect(text.contains("Set the firewall's UDP idle timeout to at least 5400 s"))
        #expect(text.contains("Allow outbound UDP port 3478 to hosts matching *.chime.aws; the networks 99.77.128.0/18."))
    }

    @Test(arguments: [
        (nil, RemediationFormat.json), ("application/json", .json), ("*/*", .json), ("text/csv", .csv),
        ("text/plain", .text), ("text/*", .csv), ("text/csv;q=0.5, text/plain", .text),
        ("application/xml, text/plain;q=0.1", .text), ("text/csv, */*", .csv), ("*/*;q=0.2, text/plain;q=0.9", .text),
    ] as [(String?, RemediationFormat)])
    func acceptPicksTheForm(accept: String?, format: RemediationFormat) {
        #expect(RemediationFormat.negotiate(accept) == format)
    }

    @Test(arguments: ["application/xml", "text/html", "text/csv;q=0, application/pdf"])
    func acceptOfNoServedFormIsRefused(accept: String) {
        #expect(RemediationFormat.negotiate(accept) == nil)
    }
}
