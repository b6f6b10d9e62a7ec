import Foundation
import ReadinessScoring
import Testing
@testable import ReadinessApp

/// The rescore answer, spelled out byte for byte as it was answered before its shape was
/// declared once; its assessment is the `SiteAssessment` document `assessmentAnswer` spells out.
extension ResponseBytesTests {
    /// A stored assessment with one warning finding, as `assessmentAnswer` reads it.
    static func storedAssessment() throws -> SiteAssessment {
        let stored = #"""
            {"agents":1,"assessed_at":"2025-12-03T00:00:00Z","capacity":{"optimal_users":12},"figures":{},\#
            "findings":[{"citation":"c","code":"RTT_HIGH","kind":"rtt","observed":{"unit":"ms","value":21.5},\#
            "remediation":"r","rule_id":"rtt","source":"seed","status":"warn","tiers":[]}],\#
            "newest_result_at":"2025-12-02T23:59:30Z","oldest_result_at":"2025-12-02T23:59:30Z","policy":"sococo",\#
            "policy_version":2,"runs":1,"score":61,"site":{"expected_concurrent_users":10,"longest_call_s":3600},\#
            "transport":"udp_media_direct","verdict":"minimal","window_s":3600}
            """#
        return try APIJSON.decoder.decode(SiteAssessment.self, from: Data(stored.utf8))
    }

    @Test func rescoreAnswer() throws {
        let document = SiteAssessmentDocument(siteID: Self.site, assessment: try Self.storedAssessment())
        let documentText = Self.text(try APIJSON.response(document).body)
        let point = HistoryPoint(at: Self.at, verdict: "optimal", score: 90, rttMsP50: 20, jitterMsP50: nil,
                                 lossPctP50: nil, downKbps: nil, upKbps: 800.25, resultCount: 1)
        let result = RescoreResult(siteID: Self.site.apiString, policy: PolicyReference(name: "strict", version: 4),
                                   bucket: .raw, points: [point], assessment: document)
        #expect(Self.text(try APIJSON.response(result).body) == """
            {"assessment":\(documentText),"bucket":"raw","points":[{"at":"2025-12-03T00:00:00Z","down_kbps":null,\
            "jitter_ms_p50":null,"loss_pct_p50":null,"result_count":1,"rtt_ms_p50":20,"score":90,"up_kbps":800.25,\
            "verdict":"optimal"}],"policy":{"name":"strict","version":4},\
            "site_id":"12340000-0000-4000-8000-000000000002"}
            """)
        #expect(documentText.hasPrefix(#"{"assessed_at":"2025-12-03T00:00:00Z","capacity":{"optimal_users":12},"#))
    }
}
