import ReadinessContract
import HTTPClient
import Foundation
import JSON
import Testing
@testable import ReadinessAgent

@Suite struct PlanTests {
    static func plan() -> AgentPlan {
        AgentPlan(
            siteID: "3f2b8c1e-6a4d-4e0b-9c57-1d2e3f4a5b6c", policy: .init(name: "sococo", version: 1),
            tcpTargets: [.init(host: "app.sococo.com", port: 443)], stunTargets: [.init(host: "media.chime.aws", port: 3478)],
            reflector: .init(host: "reflector.example.net", port: 443), websocketTargets: ["app.sococo.com"],
            tlsTargets: [.init(host: "app.sococo.com", expectedIssuers: ["Amazon RSA 2048 M02"])],
            latency: .init(samples: 50, intervalMs: 20), udpTimeout: .init(maxS: 1800, stepsS: [30, 60, 121, 300, 600, 1200, 1800]),
            bandwidth: .init(downloadBytes: 10 << 20, uploadBytes: 5 << 20), intervalS: 3600)
    }

    @Test func decodesTheSpecExamplePlan() throws {
        let body = try JSONEncoder().encode(Self.plan())
        #expect(try AgentPlan.decode([UInt8](body)) == Self.plan())
    }

    @Test func decodesAPlanWithOrWithoutUntargetedRules() throws {
        let encoded = try JSONParser.parse(JSONEncoder().encode(Self.plan()))
        #expect(encoded["untargeted_rules"] == nil)
        guard case .object(var members) = encoded else {
            Issue.record("a plan is not encoded as an object")
            return
        }
        members.append((key: "untargeted_rules", value: [["rule": "udp-443", "code": "UDP443", "reason": "no target"]]))
        let plan = try AgentPlan.decode(try JSONWriter.document(capacity: 4096) { JSONValue.object(members).write(to: $0) })
        #expect(plan.untargetedRules == [.init(rule: "udp-443", code: "UDP443", reason: "no target")])
    }

    @Test func aPlanMissingAMemberIsUnrunnableAndNamesIt() throws {
        guard case .object(var members) = try JSONParser.parse(JSONEncoder().encode(Self.plan())) else {
            Issue.record("a plan is not encoded as an object")
            return
        }
        #expect(members.contains { $0.key == "reflector" })
        members.removeAll { $0.key == "reflector" }
        let body = try JSONWriter.document(capacity: 4096) { JSONValue.object(members).write(to: $0) }
        #expect { try AgentPlan.decode(body) } throws: { error in
            (error as? AgentPlan.Unrunnable)?.description.contains("missing /reflector") == true
        }
        #expect(throws: AgentPlan.Unrunnable.self) { try AgentPlan.decode(Array("<html>".utf8)) }
    }

    @Test func impossibleValuesAreAllNamed() {
        var plan = Self.plan()
        plan.tcpTargets[0].port = 70_000
        plan.latency.samples = 0
        plan.udpTimeout.stepsS = [30, -1]
        #expect { try plan.validate() } throws: { error in
            let reasons = (error as? AgentPlan.Unrunnable)?.reasons ?? []
            return reasons.count == 3 && reasons[0].contains("/tcp_targets/0/port")
        }
    }

    @Test func overridesReplaceLatencyAndCapTheIdleTimeoutSteps() {
        let plan = Self.plan().applying(latencySamples: 5, latencyIntervalMs: 10, udpTimeoutMaxS: 100)
        #expect(plan.latency == .init(samples: 5, intervalMs: 10))
        #expect(plan.udpTimeout == .init(maxS: 100, stepsS: [30, 60, 100]))
        #expect(Self.plan().applying(latencySamples: nil, latencyIntervalMs: nil, udpTimeoutMaxS: 0).udpTimeout.stepsS.isEmpty)
        #expect(Self.plan().mediaTargets.map(\.host) == ["media.chime.aws", "reflector.example.net"])
    }

    @Test func serverURLs() throws {
        let server = try #require(ServerURL("https://r.example.com/base/"))
        #expect(server.port == 443)
        #expect(server.path("/v1/agent/plan") == "/base/v1/agent/plan")
        #expect(try #require(ServerURL("http://[::1]:8080")).authority == "[::1]:8080")
        #expect(ServerURL("r.example.com") == nil)
        #expect(ServerURL("http://h:0") == nil)
    }
}
