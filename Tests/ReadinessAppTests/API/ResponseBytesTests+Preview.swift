import Foundation
@testable import ReadinessScoring
import Testing
@testable import ReadinessApp

/// The fleet preview answer, spelled out byte for byte as it was answered before its shape was
/// declared once.
extension ResponseBytesTests {
    @Test func fleetPreviewAnswer() throws {
        let before = try Self.storedAssessment()
        var after = before
        after.verdict = .notReady
        after.score = nil
        after.findings[0].status = .fail
        after.findings[0].blocks = .minimal
        var dropped = before.findings[0]
        dropped.ruleID = "old"
        dropped.code = "OLD_RULE"
        var withDropped = before
        withDropped.findings.append(dropped)
        let site = PreviewedSite(siteID: Self.site, name: "HQ", region: nil,
                                 preview: SitePreview(before: withDropped, after: after))
        let document = FleetPreviewDocument(
            policy: "strict", candidateVersion: nil, assessedAt: Self.at, sites: 4, changedSites: 1,
            verdictsBefore: .init([.minimal: 3, .stale: 1]), verdictsAfter: .init([.notReady: 1, .minimal: 2, .stale: 1]),
            findingsAppearing: FleetPreviewDocument.CodeCount.list(["B": 1, "A": 1, "C": 2]), findingsClearing: [],
            rulesReadFromBodies: ["udp-443"], resultsReadFromBodies: 12, items: [site], nextCursor: nil)
        #expect(Self.text(try APIJSON.response(document).body) == """
            {"assessed_at":"2025-12-03T00:00:00Z","candidate_version":null,"changed_sites":1,\
            "findings_appearing":[{"code":"C","sites":2},{"code":"A","sites":1},{"code":"B","sites":1}],\
            "findings_clearing":[],"items":[{"after":{"score":null,"verdict":"not_ready"},\
            "before":{"score":61,"verdict":"minimal"},"findings":[{"after":"fail","before":"warn",\
            "blocks_after":"minimal","blocks_before":null,"code":"RTT_HIGH","rule_id":"rtt"},\
            {"after":null,"before":"warn","blocks_after":null,"blocks_before":null,"code":"OLD_RULE","rule_id":"old"}],\
            "region":null,"site_id":"12340000-0000-4000-8000-000000000002","site_name":"HQ"}],"next_cursor":null,\
            "policy":"strict","results_read_from_bodies":12,"rules_read_from_bodies":["udp-443"],"sites":4,\
            "verdicts_after":{"insufficient_data":0,"minimal":2,"not_ready":1,"optimal":0,"stale":1},\
            "verdicts_before":{"insufficient_data":0,"minimal":3,"not_ready":0,"optimal":0,"stale":1}}
            """)
        var stored = document
        stored.candidateVersion = 7
        stored.items = []
        stored.nextCursor = "abc"
        let text = Self.text(try APIJSON.response(stored).body)
        #expect(text.hasPrefix(#"{"assessed_at":"2025-12-03T00:00:00Z","candidate_version":7,"changed_sites":1,"#))
        #expect(text.contains(#""items":[],"next_cursor":"abc","policy":"strict","#))
    }
}
