import Foundation
import ReadinessScoring
import Testing
@testable import ReadinessApp

/// The outbound bodies' bytes: a `standard` body is signed and frozen in `webhook_events`, and
/// a PagerDuty event is derived from it at send time, so both are pinned byte for byte (before
/// their shapes moved to one declaration each).
@Suite struct WebhookBodyBytesTests {
    static let at = Date(timeIntervalSince1970: 1_764_720_000)
    static let site = "12340000-0000-4000-8000-000000000002"
    static let links = [
        "site": "https://r.example/v1/sites/\(site)", "assessment": "https://r.example/v1/sites/\(site)/assessment",
        "changes": "https://r.example/v1/sites/\(site)/changes", "remediation": "https://r.example/v1/sites/\(site)/remediation",
    ]
    static let linksBytes = """
        {"assessment":"https://r.example/v1/sites/\(site)/assessment","changes":"https://r.example/v1/sites/\(site)/changes",\
        "remediation":"https://r.example/v1/sites/\(site)/remediation","site":"https://r.example/v1/sites/\(site)"}
        """

    /// A finding as a stored assessment has it: blocks the optimal tier, measured in ms.
    static func finding(_ code: String = "RTT_HIGH") throws -> Finding {
        try APIJSON.decoder.decode(Finding.self, from: Data("""
            {"rule_id":"rtt","code":"\(code)","kind":"gateway","status":"fail","blocks":"optimal",
             "observed":{"value":40,"unit":"ms","runs":3,"pass_fraction":0.25},
             "tiers":[{"tier":"minimal","status":"pass","threshold":{"comparison":"le","value":300,"unit":"ms"},"source":"seed"},
                      {"tier":"optimal","status":"fail","threshold":{"comparison":"le","value":30.5,"unit":"ms"},"source":"chime"}],
             "source":"seed","citation":"c","remediation":"Route \\"media\\" direct/now"}
            """.utf8))
    }

    static let findingBytes = """
        {"code":"RTT_HIGH","observed":{"pass_fraction":0.25,"runs":3,"unit":"ms","value":40},\
        "remediation":"Route \\"media\\" direct/now","rule_id":"rtt","source":"chime","status":"fail",\
        "threshold":{"comparison":"le","unit":"ms","value":30.5},"tier":"optimal","tier_blocked":"optimal"}
        """

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func verdictChanged() throws -> WebhookPayload {
        var data = WebhookPayload.EventData(findings: [])
        data.site = .init(id: site, name: "Depot/Zürich", region: "apac", tags: ["retail", "north"])
        data.links = links
        data.runID = "abcd0000-0000-4000-8000-000000000001"
        data.before = .init(verdict: "optimal", score: 91)
        data.after = .init(verdict: "not_ready", score: nil)
        data.findings = [WebhookPayload.FindingRef(try finding())]
        return WebhookPayload(type: "site.verdict_changed", timestamp: at, data: data)
    }

    static let verdictChangedBytes = """
        {"data":{"after":{"score":null,"verdict":"not_ready"},"before":{"score":91,"verdict":"optimal"},\
        "findings":[\(findingBytes)],"links":\(linksBytes),"run_id":"abcd0000-0000-4000-8000-000000000001",\
        "site":{"id":"\(site)","name":"Depot/Zürich","region":"apac","tags":["retail","north"]}},\
        "timestamp":"2025-12-03T00:00:00Z","type":"site.verdict_changed"}
        """

    @Test func standardBodies() throws {
        var ping = WebhookPayload.EventData(findings: [])
        ping.webhookID = "abcd0000-0000-4000-8000-000000000001"
        ping.message = "A test event: the subscription reaches this receiver."
        #expect(Self.text(try WebhookPayload(type: "webhook.test", timestamp: Self.at, data: ping).encoded()) == """
            {"data":{"findings":[],"message":"A test event: the subscription reaches this receiver.",\
            "webhook_id":"abcd0000-0000-4000-8000-000000000001"},"timestamp":"2025-12-03T00:00:00Z","type":"webhook.test"}
            """)
        #expect(Self.text(try Self.verdictChanged().encoded()) == Self.verdictChangedBytes)
        // The encoder, which a body with a non-finite figure falls back to, writes the same bytes.
        #expect(Self.text(Array(try APIJSON.encoder.encode(try Self.verdictChanged()))) == Self.verdictChangedBytes)

        var appeared = WebhookPayload.EventData(findings: [WebhookPayload.FindingRef(code: "UDP_3478_BLOCKED", status: nil)])
        appeared.site = .init(id: Self.site, name: "Lab", region: nil, tags: [])
        appeared.after = .init(verdict: nil, score: 40)
        appeared.change = .init(kind: "finding_appeared", code: "UDP_3478_BLOCKED", fromStatus: nil, toStatus: "fail")
        #expect(Self.text(try WebhookPayload(type: "site.finding_appeared", timestamp: Self.at, data: appeared).encoded()) == """
            {"data":{"after":{"score":40,"verdict":null},"change":{"code":"UDP_3478_BLOCKED","kind":"finding_appeared",\
            "to_status":"fail"},"findings":[{"code":"UDP_3478_BLOCKED"}],"site":{"id":"\(Self.site)","name":"Lab","tags":[]}},\
            "timestamp":"2025-12-03T00:00:00Z","type":"site.finding_appeared"}
            """)
    }

    /// Findings past ``WebhookPayload/maximumBytes`` are dropped from the end, and the body says so.
    @Test func oversizedBodyDropsFindingsFromTheEnd() throws {
        var payload = try Self.verdictChanged()
        payload.data.findings = try (0..<100).map { WebhookPayload.FindingRef(try Self.finding("CODE_\($0)")) }
        let bytes = try payload.encoded()
        let kept = String(Self.findingBytes.dropFirst(#"{"code":"RTT_HIGH"#.count))
        let text = Self.text(bytes)
        #expect(bytes.count == 20_302)
        #expect(text.hasSuffix("""
            {"code":"CODE_70\(kept)],"findings_truncated":true,"links":\(Self.linksBytes),\
            "run_id":"abcd0000-0000-4000-8000-000000000001",\
            "site":{"id":"\(Self.site)","name":"Depot/Zürich","region":"apac","tags":["retail","north"]}},\
            "timestamp":"2025-12-03T00:00:00Z","type":"site.verdict_changed"}
            """))
    }

    static func pagerDuty(_ payload: WebhookPayload) throws -> String? {
        try PagerDutyEvent.make(from: try payload.encoded(), routingKey: "R0UTINGKEY0123456789abcdef012345")
            .map { text(Array(try APIJSON.encoder.encode($0))) }
    }

    @Test func pagerDutyBodies() throws {
        let linksBytes = """
            [{"href":"https://r.example/v1/sites/\(Self.site)/assessment","text":"assessment"},\
            {"href":"https://r.example/v1/sites/\(Self.site)/changes","text":"changes"},\
            {"href":"https://r.example/v1/sites/\(Self.site)/remediation","text":"remediation"},\
            {"href":"https://r.example/v1/sites/\(Self.site)","text":"site"}]
            """
        let notReady = try Self.verdictChanged()
        #expect(try Self.pagerDuty(notReady) == """
            {"client":"readiness","dedup_key":"readiness:\(Self.site):not_ready","event_action":"trigger",\
            "links":\(linksBytes),"payload":{"class":"not_ready","component":"Depot/Zürich",\
            "custom_details":{"site_id":"\(Self.site)","verdict_after":"not_ready","verdict_before":"optimal"},\
            "group":"apac","severity":"critical","source":"Depot/Zürich (apac)",\
            "summary":"Depot/Zürich is not ready (was optimal)","timestamp":"2025-12-03T00:00:00Z"},\
            "routing_key":"R0UTINGKEY0123456789abcdef012345"}
            """)

        var recovered = notReady
        recovered.data.before = .init(verdict: "not_ready", score: nil)
        recovered.data.after = .init(verdict: "minimal", score: 70)
        #expect(try Self.pagerDuty(recovered) == """
            {"client":"readiness","dedup_key":"readiness:\(Self.site):not_ready","event_action":"resolve",\
            "links":\(linksBytes),"routing_key":"R0UTINGKEY0123456789abcdef012345"}
            """)

        var appeared = WebhookPayload.EventData(findings: [WebhookPayload.FindingRef(try Self.finding())])
        appeared.site = .init(id: Self.site, name: "Lab", region: nil, tags: [])
        let appearedPayload = WebhookPayload(type: "site.finding_appeared", timestamp: Self.at, data: appeared)
        #expect(try Self.pagerDuty(appearedPayload) == """
            {"client":"readiness","dedup_key":"readiness:\(Self.site):RTT_HIGH","event_action":"trigger",\
            "payload":{"class":"RTT_HIGH","component":"Lab","custom_details":{"finding":"RTT_HIGH",\
            "remediation":"Route \\"media\\" direct/now","site_id":"\(Self.site)","tier_blocked":"optimal"},\
            "severity":"warning","source":"Lab","summary":"Lab: RTT_HIGH blocks the optimal tier",\
            "timestamp":"2025-12-03T00:00:00Z"},"routing_key":"R0UTINGKEY0123456789abcdef012345"}
            """)
        #expect(try Self.pagerDuty(WebhookPayload(type: "site.stale", timestamp: Self.at, data: appeared)) == nil)
    }
}
