import Foundation
import Testing
@testable import ReadinessApp

/// The fleet's summary and history answers, spelled out byte for byte as they were answered
/// before their shapes were declared once.
extension ResponseBytesTests {
    @Test func fleetSummaryAnswer() throws {
        let summary = FleetSummary(
            siteCount: 3, byVerdict: ["optimal": 1, "minimal": 0, "not_ready": 0, "insufficient_data": 0, "stale": 2],
            topFindings: [FleetSummary.TopFinding(code: "RTT_HIGH", siteCount: 2, siteIDs: ["s1", "s2"])],
            staleSites: [FleetSummary.StaleSite(id: "s3", name: "Lab \"b\"", newestResultAt: nil),
                         FleetSummary.StaleSite(id: "s4", name: "HQ", newestResultAt: Self.at)])
        #expect(Self.text(try APIJSON.response(summary).body) == """
            {"by_verdict":{"insufficient_data":0,"minimal":0,"not_ready":0,"optimal":1,"stale":2},"site_count":3,\
            "stale_sites":[{"id":"s3","name":"Lab \\"b\\"","newest_result_at":null},\
            {"id":"s4","name":"HQ","newest_result_at":"2025-12-03T00:00:00Z"}],\
            "top_findings":[{"code":"RTT_HIGH","site_count":2,"site_ids":["s1","s2"]}]}
            """)
        let empty = FleetSummary(siteCount: 0, byVerdict: [:], topFindings: [], staleSites: [])
        #expect(Self.text(try APIJSON.response(empty).body) == """
            {"by_verdict":{},"site_count":0,"stale_sites":[],"top_findings":[]}
            """)
    }

    @Test func fleetHistoryAnswer() throws {
        var point = FleetHistory.Point(at: Self.at)
        point.optimal = 3
        point.notReady = 1
        point.insufficientData = 2
        let history = FleetHistory(bucket: .day, points: [point, FleetHistory.Point(at: Self.at.addingTimeInterval(86_400))])
        #expect(Self.text(try APIJSON.response(history).body) == """
            {"bucket":"day","points":[{"at":"2025-12-03T00:00:00Z","insufficient_data":2,"minimal":0,"not_ready":1,\
            "optimal":3},{"at":"2025-12-04T00:00:00Z","insufficient_data":0,"minimal":0,"not_ready":0,"optimal":0}]}
            """)
        #expect(Self.text(try APIJSON.response(FleetHistory(bucket: .hour, points: [])).body) == """
            {"bucket":"hour","points":[]}
            """)
    }
}
