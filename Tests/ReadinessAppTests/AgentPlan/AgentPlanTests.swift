import ReadinessContract
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

    @Test func shortCallsStillProbeToThePolicysOptimalLimit() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(longestCallS: 600)
            let agent = try await live.fixtures.agent(site: site)
            let plan = try await live.client.get("/v1/agent/plan", token: agent.token)
            let timeout = plan.json?["udp_timeout"] as? [String: Any]
            // The default policy's optimal limit is 1800 s; the steps bracket 120 s and 1800 s.
            #expect(timeout?["max_s"] as? Int == 1800)
            #expect(timeout?["steps_s"] as? [Int] == [30, 60, 121, 240, 480, 960, 1800])
        }
    }

    @Test func aPolicyWithShortLimitsGetsAShortProbe() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            var document = try #require(try await live.client.get("/v1/policies/sococo", token: admin).json)
            document.removeValue(forKey: "policy")
            var rules = try #require(document["rules"] as? [[String: Any]])
            let index = try #require(rules.firstIndex { $0["kind"] as? String == "udp_timeout" })
            var tiers = try #require(rules[index]["tiers"] as? [[String: Any]])
            for tier in tiers.indices {
                let optimal = tiers[tier]["tier"] as? String == "optimal"
                tiers[tier]["limit"] = ["comparison": optimal ? "ge" : "gt", "value": optimal ? 20 : 12]
            }
            rules[index]["tiers"] = tiers
            document["rules"] = rules
            let created = try await live.client.post("/v1/policies/scenario/versions", token: admin, json: document)
            try #require(created.status == 201, "\(created.text)")

            let site = try await live.fixtures.site(longestCallS: 10, policyName: "scenario")
            let agent = try await live.fixtures.agent(site: site)
            let timeout = try await live.client.get("/v1/agent/plan", token: agent.token).json?["udp_timeout"] as? [String: Any]
            #expect(timeout?["max_s"] as? Int == 20)
            #expect(timeout?["steps_s"] as? [Int] == [2, 4, 8, 13, 20])

            // A site whose calls last longer than the optimal limit probes up to its longest call.
            let longer = try await live.fixtures.site(longestCallS: 45, policyName: "scenario")
            let longerAgent = try await live.fixtures.agent(site: longer)
            let longerTimeout = try await live.client.get("/v1/agent/plan", token: longerAgent.token).json?["udp_timeout"] as? [String: Any]
            #expect(longerTimeout?["max_s"] as? Int == 45)
            #expect(longerTimeout?["steps_s"] as? [Int] == [4, 8, 13, 20, 32, 45])
        }
    }

    struct StepCase: CustomTestStringConvertible, Sendable {
        var maxS: Int
        var minimal: Int?
        var optimal: Int?
        var steps: [Int]
        var testDescription: String { "max \(maxS), minimal \(minimal.map(String.init) ?? "-"), optimal \(optimal.map(String.init) ?? "-")" }
    }

    @Test(arguments: [
        StepCase(maxS: 20, minimal: 12, optimal: 20, steps: [2, 4, 8, 13, 20]),
        StepCase(maxS: 1800, minimal: 120, optimal: 1800, steps: [30, 60, 121, 240, 480, 960, 1800]),
        StepCase(maxS: 3600, minimal: 120, optimal: 1800, steps: [30, 60, 121, 240, 480, 960, 1800, 3600]),
        StepCase(maxS: 5, minimal: nil, optimal: nil, steps: [1, 2, 5]),
        StepCase(maxS: 1, minimal: nil, optimal: 1, steps: [1]),
    ])
    func timeoutStepsAscendAndHoldTheDecisivePoints(_ example: StepCase) {
        let steps = AgentPlan.udpTimeoutSteps(maxS: example.maxS, minimal: example.minimal, optimal: example.optimal)
        #expect(steps == example.steps)
        #expect(steps == steps.sorted() && Set(steps).count == steps.count)
        #expect(steps.last == example.maxS)
    }

    /// The plan is the contract's `AgentPlan`, shared with the agent: the service still sends its
    /// untargeted rules and none of the agent-side `expected_issuers`.
    @Test func theServicesPlanSendsUntargetedRulesAndNoExpectedIssuers() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(longestCallS: 600)
            let agent = try await live.fixtures.agent(site: site)
            let response = try await live.client.get("/v1/agent/plan", token: agent.token)
            let plan = try #require(response.json)
            #expect(plan["untargeted_rules"] is [Any])
            let tlsTargets = try #require(plan["tls_targets"] as? [[String: Any]])
            #expect(!tlsTargets.isEmpty && tlsTargets.allSatisfy { $0.keys.sorted() == ["host"] })
            let decoded = try JSONDecoder().decode(AgentPlan.self, from: Data(response.body))
            #expect(decoded.untargetedRules != nil && decoded.siteID == site.uuidString.lowercased())
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
