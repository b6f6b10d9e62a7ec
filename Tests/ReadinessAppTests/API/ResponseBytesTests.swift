import Foundation
import JSON
import ReadinessScoring
import Testing
@testable import ReadinessApp

/// The bytes of the answers whose shapes are declared once (`JSONObject`), spelled out: the
/// equivalence tests compare the writer with `JSONEncoder`, which now reads the same
/// declaration, so these hold the names, the order and the nulls to what the API has answered.
@Suite struct ResponseBytesTests {
    static let at = Date(timeIntervalSince1970: 1_764_720_000)
    static let run = UUID(uuid: (0xAB, 0xCD, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1))
    static let site = UUID(uuid: (0x12, 0x34, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 2))

    static func text(_ response: [UInt8]) -> String { String(decoding: response, as: UTF8.self) }

    @Test func historyAnswer() throws {
        let point = HistoryPoint(at: Self.at, verdict: "minimal", score: nil, rttMsP50: 21.5, jitterMsP50: nil,
                                 lossPctP50: 0, downKbps: 12000.5, upKbps: nil, resultCount: 4)
        let history = SiteHistory(siteID: "s1", bucket: .hour, points: [point])
        #expect(Self.text(try APIJSON.response(history).body) == """
            {"bucket":"hour","points":[{"at":"2025-12-03T00:00:00Z","down_kbps":12000.5,"jitter_ms_p50":null,\
            "loss_pct_p50":0,"result_count":4,"rtt_ms_p50":21.5,"score":null,"up_kbps":null,"verdict":"minimal"}],\
            "site_id":"s1"}
            """)
    }

    @Test func fleetPage() throws {
        let item = FleetAssessment(siteID: "s1", siteName: "HQ", region: nil, verdict: "optimal", score: 80, mos: 4.1,
                                   transport: "udp_media_direct", findingCodes: ["RTT_HIGH"], newestResultAt: Self.at)
        let stale = FleetAssessment(siteID: "s2", siteName: "Lab", region: "emea", verdict: "stale", score: nil, mos: nil,
                                    transport: nil, findingCodes: [], newestResultAt: nil)
        let page = Page(fetched: [item, stale], limit: 5, key: \.siteID)
        #expect(Self.text(try APIJSON.response(page).body) == """
            {"items":[{"finding_codes":["RTT_HIGH"],"mos":4.1,"newest_result_at":"2025-12-03T00:00:00Z","region":null,\
            "score":80,"site_id":"s1","site_name":"HQ","transport":"udp_media_direct","verdict":"optimal"},\
            {"finding_codes":[],"mos":null,"newest_result_at":null,"region":"emea","score":null,"site_id":"s2",\
            "site_name":"Lab","transport":null,"verdict":"stale"}],"next_cursor":null}
            """)
    }

    @Test func uploadAnswers() throws {
        let summary = AssessmentSummary(verdict: .minimal, score: 61, mos: nil, transport: .udpMediaDirect, findingCodes: ["RTT_HIGH"])
        let outcome = UploadOutcome(runID: Self.run, siteID: Self.site, status: .created, assessment: summary)
        let single = """
            {"assessment":{"finding_codes":["RTT_HIGH"],"mos":null,"score":61,"transport":"udp_media_direct",\
            "verdict":"minimal"},"run_id":"abcd0000-0000-4000-8000-000000000001",\
            "site_id":"12340000-0000-4000-8000-000000000002","status":"created"}
            """
        #expect(outcome.jsonBytes().map { String(decoding: $0, as: UTF8.self) } == single)
        var replay = outcome
        replay.status = .duplicate
        replay.assessment = AssessmentSummary(verdict: .notReady, score: nil, mos: 1.5, transport: nil, findingCodes: [])
        let batch = UploadBatchOutcome(results: [outcome, replay])
        #expect(batch.jsonBytes().map { String(decoding: $0, as: UTF8.self) } == """
            {"results":[\(single),{"assessment":{"finding_codes":[],"mos":1.5,"score":null,"transport":null,\
            "verdict":"not_ready"},"run_id":"abcd0000-0000-4000-8000-000000000001",\
            "site_id":"12340000-0000-4000-8000-000000000002","status":"duplicate"}]}
            """)
    }

    @Test func changePage() throws {
        let change = SiteChange(id: "chg_7", at: Self.at, runID: Self.run.apiString, kind: "verdict", fromVerdict: "optimal",
                                toVerdict: "minimal", code: nil, status: nil, fromStatus: nil, ruleID: nil, sequence: 7)
        let finding = SiteChange(id: "chg_6", at: Self.at, runID: nil, kind: "finding", fromVerdict: nil, toVerdict: nil,
                                 code: "RTT_HIGH", status: "fail", fromStatus: "pass", ruleID: "rtt", sequence: 6)
        let page = Page(fetched: [change, finding], limit: 1, key: { String($0.sequence) })
        #expect(Self.text(try APIJSON.response(page).body) == """
            {"items":[{"at":"2025-12-03T00:00:00Z","code":null,"from_status":null,"from_verdict":"optimal","id":"chg_7",\
            "kind":"verdict","rule_id":null,"run_id":"abcd0000-0000-4000-8000-000000000001","status":null,\
            "to_verdict":"minimal"}],"next_cursor":"\(Cursor.encode("7"))"}
            """)
        #expect(Self.text(try APIJSON.response(finding).body) == """
            {"at":"2025-12-03T00:00:00Z","code":"RTT_HIGH","from_status":"pass","from_verdict":null,"id":"chg_6",\
            "kind":"finding","rule_id":"rtt","run_id":null,"status":"fail","to_verdict":null}
            """)
    }

    @Test func tokenAnswers() throws {
        let info = TokenInfo(id: Self.run, name: "ticketing", scope: "agent", siteID: Self.site, createdAt: Self.at,
                             expiresAt: nil, lastUsedAt: Self.at.addingTimeInterval(60.25), revokedAt: nil)
        let expected = """
            {"created_at":"2025-12-03T00:00:00Z","expires_at":null,"id":"abcd0000-0000-4000-8000-000000000001",\
            "last_used_at":"\(RFC3339Timestamp.format(Self.at.addingTimeInterval(60.25)))","name":"ticketing",\
            "revoked_at":null,"scope":"agent","site_id":"12340000-0000-4000-8000-000000000002"}
            """
        #expect(Self.text(try APIJSON.response(info).body) == expected)
        #expect(Self.text(try APIJSON.response(TokenCreated(tokenInfo: info, token: "rdy_x")).body) == """
            {"token":"rdy_x","token_info":\(expected)}
            """)
        var unbound = info
        unbound.siteID = nil
        #expect(Self.text(try APIJSON.response(unbound).body).contains(#""site_id":null}"#))
    }

    @Test func agentAnswers() throws {
        let agent = AgentRecord(id: Self.run, siteID: Self.site, name: "lobby-pc-3", createdAt: Self.at,
                                revokedAt: nil, lastSeenAt: Self.at.addingTimeInterval(5))
        let expected = """
            {"created_at":"2025-12-03T00:00:00Z","id":"abcd0000-0000-4000-8000-000000000001",\
            "last_seen_at":"2025-12-03T00:00:05Z","name":"lobby-pc-3","revoked_at":null,\
            "site_id":"12340000-0000-4000-8000-000000000002"}
            """
        #expect(Self.text(try APIJSON.response(agent).body) == expected)
        #expect(Self.text(try APIJSON.response(AgentCreated(agent: agent, token: "rdy_a")).body) == """
            {"agent":\(expected),"token":"rdy_a"}
            """)
        let page = Page(fetched: [agent, agent], limit: 2, key: \.id.apiString)
        #expect(Self.text(try APIJSON.response(page).body) == #"{"items":[\#(expected),\#(expected)],"next_cursor":null}"#)
    }

    @Test func siteAnswers() throws {
        var changes = SiteChanges()
        changes.name = "HQ \"north\""
        changes.timezone = "Europe/Paris"
        changes.tags = ["lab", "b"]
        changes.expectedUsers = 40
        var record = SiteRecord(id: Self.site, creating: changes, now: Self.at)
        record.updatedAt = Self.at.addingTimeInterval(5)
        let expected = """
            {"archived_at":null,"created_at":"2025-12-03T00:00:00Z","expected_users":40,\
            "id":"12340000-0000-4000-8000-000000000002","longest_call_s":3600,"name":"HQ \\"north\\"",\
            "policy":{"name":"sococo","version":null},"region":null,"tags":["lab","b"],"timezone":"Europe/Paris",\
            "updated_at":"2025-12-03T00:00:05Z"}
            """
        #expect(Self.text(try APIJSON.response(SiteResponse(record)).body) == expected)
        var pinned = record
        pinned.region = "emea"
        pinned.policyVersion = 3
        pinned.archivedAt = Self.at
        pinned.tags = []
        #expect(Self.text(try APIJSON.response(SiteResponse(pinned)).body) == """
            {"archived_at":"2025-12-03T00:00:00Z","created_at":"2025-12-03T00:00:00Z","expected_users":40,\
            "id":"12340000-0000-4000-8000-000000000002","longest_call_s":3600,"name":"HQ \\"north\\"",\
            "policy":{"name":"sococo","version":3},"region":"emea","tags":[],"timezone":"Europe/Paris",\
            "updated_at":"2025-12-03T00:00:05Z"}
            """)
        let page = Page(fetched: [SiteResponse(record), SiteResponse(pinned)], limit: 1) { $0.record.id.apiString }
        #expect(Self.text(try APIJSON.response(page).body) == """
            {"items":[\(expected)],"next_cursor":"\(Cursor.encode(Self.site.apiString))"}
            """)
    }

    /// A stored assessment with one finding, decoded from its stored form, answered as the API's
    /// `SiteAssessment`: fresh, then stale (no score, the last verdict kept).
    @Test func assessmentAnswer() throws {
        let stored = #"""
            {"agents":2,"assessed_at":"2025-12-03T00:00:00Z","capacity":{"optimal_users":12},\#
            "figures":{"rtt_ms":{"newest_age_s":30,"oldest_age_s":600.5,"samples":3,"value":21.5}},\#
            "findings":[{"citation":"c","code":"RTT_HIGH","kind":"rtt","observed":{"unit":"ms","value":21.5},\#
            "remediation":"r \"q\"","rule_id":"rtt","source":"seed","status":"warn",\#
            "tiers":[{"source":"seed","status":"pass","threshold":{"comparison":"le","unit":"ms","value":100},\#
            "tier":"minimal"}]}],"mos":{"newest_age_s":30,"oldest_age_s":600.5,"samples":3,"value":4.1},\#
            "newest_result_at":"2025-12-02T23:59:30Z","oldest_result_at":"2025-12-02T23:50:00Z","policy":"sococo",\#
            "policy_version":2,"runs":3,"score":61,"site":{"expected_concurrent_users":10,"longest_call_s":3600},\#
            "transport":"udp_media_direct","verdict":"minimal","window_s":3600}
            """#
        var assessment = try APIJSON.decoder.decode(SiteAssessment.self, from: Data(stored.utf8))
        let finding = """
            "findings":[{"citation":"c","code":"RTT_HIGH","kind":"rtt","observed":{"unit":"ms","value":21.5},\
            "remediation":"r \\"q\\"","rule_id":"rtt","source":"seed","status":"warn",\
            "tiers":[{"source":"seed","status":"pass","threshold":{"comparison":"le","unit":"ms","value":100},\
            "tier":"minimal"}]}]
            """
        #expect(Self.text(try APIJSON.response(SiteAssessmentDocument(siteID: Self.site, assessment: assessment)).body) == """
            {"assessed_at":"2025-12-03T00:00:00Z","capacity":{"optimal_users":12},"confidence":{"agent_count":2,\
            "data_age_s":30,"newest_result_at":"2025-12-02T23:59:30Z","oldest_result_at":"2025-12-02T23:50:00Z",\
            "result_count":3},"figures":{"rtt_ms":{"newest_age_s":30,"oldest_age_s":600.5,"samples":3,"value":21.5}},\
            \(finding),"last_verdict":"minimal","mos":4.1,"policy":{"name":"sococo","version":2},"score":61,\
            "site":{"expected_concurrent_users":10,"longest_call_s":3600},\
            "site_id":"12340000-0000-4000-8000-000000000002","transport":"udp_media_direct","verdict":"minimal",\
            "window":{"from":"2025-12-02T23:00:00Z","to":"2025-12-03T00:00:00Z"}}
            """)
        assessment.lastVerdict = .minimal
        assessment.verdict = .stale
        assessment.score = nil
        assessment.mos = nil
        assessment.transport = nil
        assessment.newestResultAt = nil
        assessment.oldestResultAt = nil
        #expect(Self.text(try APIJSON.response(SiteAssessmentDocument(siteID: Self.site, assessment: assessment)).body) == """
            {"assessed_at":"2025-12-03T00:00:00Z","capacity":{"optimal_users":12},"confidence":{"agent_count":2,\
            "data_age_s":null,"newest_result_at":null,"oldest_result_at":null,"result_count":3},\
            "figures":{"rtt_ms":{"newest_age_s":30,"oldest_age_s":600.5,"samples":3,"value":21.5}},\
            \(finding),"last_verdict":"minimal","mos":null,"policy":{"name":"sococo","version":2},"score":null,\
            "site":{"expected_concurrent_users":10,"longest_call_s":3600},\
            "site_id":"12340000-0000-4000-8000-000000000002","transport":null,"verdict":"stale",\
            "window":{"from":"2025-12-02T23:00:00Z","to":"2025-12-03T00:00:00Z"}}
            """)
    }
}
