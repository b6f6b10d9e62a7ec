import JSON
import ReadinessContract
import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct AgentPlanTests {
    static func hostPorts(_ endpoints: [AgentPlanAnswer.Endpoint]) -> Set<String> {
        Set(endpoints.map { "\($0.host):\($0.port)" })
    }

    @Test func planForTheDefaultPolicyNamesRepresentativeTargetsAndTimeoutSteps() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(longestCallS: 3600)
            let agent = try await live.fixtures.agent(site: site)
            let response = try await live.client.get("/v1/agent/plan", token: agent.token)
            #expect(response.status == 200)
            let plan = try response.decoded(AgentPlanAnswer.self)
            #expect(plan.siteId == site.uuidString.lowercased())
            #expect(plan.policy.version == 1)
            let tcp = Self.hostPorts(plan.tcpTargets)
            #expect(tcp.isSuperset(of: ["app.sococo.com:443", "as-vip.sococo.net:443", "chime.aws:443", "static.sdkassets.chime.aws:443"]))
            #expect(Self.hostPorts(plan.stunTargets) == ["media.chime.aws:3478", "99.77.128.1:3478"])
            // The reflector is off in LiveService and no port is configured: STUN's 3478.
            #expect(plan.reflector.port == 3478)
            #expect(plan.websocketTargets.contains("app.sococo.com"))
            #expect(plan.tlsTargets.contains { $0.host == "app.sococo.com" })
            let steps = plan.udpTimeout.stepsS
            #expect(plan.udpTimeout.maxS == 3600)  // the site's longest call beats the 1800 s floor
            #expect(steps == steps.sorted() && steps.last == 3600 && steps.contains(121))
            #expect(plan.latency.samples == 50)
            #expect(plan.bandwidth.downloadBytes == 10_485_760)
            #expect(plan.intervalS == 3600)
        }
    }

    @Test func shortCallsStillProbeToThePolicysOptimalLimit() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(longestCallS: 600)
            let agent = try await live.fixtures.agent(site: site)
            let plan = try await live.client.get("/v1/agent/plan", token: agent.token)
            let timeout = try plan.decoded(AgentPlanAnswer.self).udpTimeout
            // The default policy's optimal limit is 1800 s; the steps bracket 120 s and 1800 s.
            #expect(timeout.maxS == 1800)
            #expect(timeout.stepsS == [30, 60, 121, 240, 480, 960, 1800])
        }
    }

    @Test func aPolicyWithShortLimitsGetsAShortProbe() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            var document = try PolicyDocumentTree(try await live.client.get("/v1/policies/sococo", token: admin))
            document["/policy"] = nil
            let index = try #require(document.elements("/rules").firstIndex { $0["kind"] == "udp_timeout" })
            let tiers = document.elements("/rules/\(index)/tiers")
            try #require(!tiers.isEmpty)
            for (tier, value) in tiers.enumerated() {
                let optimal = value["tier"] == "optimal"
                document["/rules/\(index)/tiers/\(tier)/limit"] = ["comparison": .string(optimal ? "ge" : "gt"), "value": .number(optimal ? 20 : 12)]
            }
            let created = try await live.client.send("POST", "/v1/policies/scenario/versions", token: admin, body: try document.body())
            try #require(created.status == 201, "\(created.text)")

            let site = try await live.fixtures.site(longestCallS: 10, policyName: "scenario")
            let agent = try await live.fixtures.agent(site: site)
            let timeout = try await live.client.get("/v1/agent/plan", token: agent.token).decoded(AgentPlanAnswer.self).udpTimeout
            #expect(timeout.maxS == 20)
            #expect(timeout.stepsS == [2, 4, 8, 13, 20])

            // A site whose calls last longer than the optimal limit probes up to its longest call.
            let longer = try await live.fixtures.site(longestCallS: 45, policyName: "scenario")
            let longerAgent = try await live.fixtures.agent(site: longer)
            let longerTimeout = try await live.client.get("/v1/agent/plan", token: longerAgent.token).decoded(AgentPlanAnswer.self).udpTimeout
            #expect(longerTimeout.maxS == 45)
            #expect(longerTimeout.stepsS == [4, 8, 13, 20, 32, 45])
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
            #expect(try response.decoded(AgentPlanAnswer.self).untargetedRules != nil)
            // Exactly `host` in each TLS target: the shape itself, read as a JSON tree.
            guard case .array(let tlsTargets)? = try JSONParser.parse(response.body)["tls_targets"] else {
                Issue.record("tls_targets is not an array: \(response.text)")
                return
            }
            #expect(!tlsTargets.isEmpty && tlsTargets.allSatisfy { target in
                guard case .object(let members) = target else { return false }
                return members.map(\.key) == ["host"]
            })
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
