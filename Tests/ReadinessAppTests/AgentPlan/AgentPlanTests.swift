import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct AgentPlanTests {
    static func hostPorts(_ value: Any?) -> Set<String> {
        Set(((value as? [[String: Any]]) ?? []).compactMap { item in
            guard let host = item["host"] as? String, let port = item["port"] as? Int else { return nil }
            return "\(host):\(port)"
        })
    }

    @Test func planForTheDefaultPolicyNamesRepresentativeTargetsAndTimeoutSteps() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(longestCallS: 3600)
            let agent = try await live.fixtures.agent(site: site)
            let response = try await live.client.get("/v1/agent/plan", token: agent.token)
            #expect(response.status == 200)
            let plan = try #require(response.json)
            #expect(plan["site_id"] as? String == site.uuidString.lowercased())
            #expect((plan["policy"] as? [String: Any])?["version"] as? Int == 1)
            let tcp = Self.hostPorts(plan["tcp_targets"])
            #expect(tcp.isSuperset(of: ["app.sococo.com:443", "as-vip.sococo.net:443", "chime.aws:443", "static.sdkassets.chime.aws:443"]))
            #expect(Self.hostPorts(plan["stun_targets"]) == ["media.chime.aws:3478", "99.77.128.1:3478"])
            // The reflector is off in LiveService and no port is configured: STUN's 3478.
            #expect((plan["reflector"] as? [String: Any])?["port"] as? Int == 3478)
            #expect((plan["websocket_targets"] as? [String])?.contains("app.sococo.com") == true)
            #expect(((plan["tls_targets"] as? [[String: Any]]) ?? []).contains { $0["host"] as? String == "app.sococo.com" })
            let timeout = try #require(plan["udp_timeout"] as? [String: Any])
            let steps = try #require(timeout["steps_s"] as? [Int])
            #expect(timeout["max_s"] as? Int == 3600)  // the site's longest call beats the 1800 s floor
            #expect(steps == steps.sorted() && steps.last == 3600 && steps.contains(121))
            #expect((plan["latency"] as? [String: Any])?["samples"] as? Int == 50)
            #expect((plan["bandwidth"] as? [String: Any])?["download_bytes"] as? Int == 10_485_760)
            #expect(plan["interval_s"] as? Int == 3600)
        }
    }

    @Test func shortCallsStillProbeToTheThirtyMinuteFloor() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(longestCallS: 600)
            let agent = try await live.fixtures.agent(site: site)
            let plan = try await live.client.get("/v1/agent/plan", token: agent.token)
            #expect((plan.json?["udp_timeout"] as? [String: Any])?["max_s"] as? Int == 1800)
        }
    }

    @Test func onlyAgentTokensGetAPlan() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let admin = try await live.fixtures.token(.admin)
            #expect(try await live.client.get("/v1/agent/plan").status == 401)
            #expect(try await live.client.get("/v1/agent/plan", token: read).status == 403)
            #expect(try await live.client.get("/v1/agent/plan", token: admin).status == 403)
        }
    }
}
