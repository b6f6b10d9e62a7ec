import ReadinessContract
import Testing
@testable import ReadinessApp

/// The seed's "Allow outbound UDP on port 443" names no host: the plan's target for it is the
/// service's own reflector on UDP 443, when it listens there, and an untargeted rule otherwise.
@Suite struct AgentPlanReflectorTargetTests {
    static let reflector = AgentPlan.HostPort(host: "readiness.example.net", port: 3478)

    @Test func aReflectorOnUDP443IsTheTargetOfTheAnyDestinationUDP443Route() throws {
        let rules = try BundledPolicy.sococo().document.rules
        let udp = AgentPlan.targets("udp", rules: rules, reflector: Self.reflector, reflectorPorts: [3478, 443])
        #expect(udp.contains(AgentPlan.HostPort(host: "readiness.example.net", port: 443)))
        #expect(udp.contains(AgentPlan.HostPort(host: "media.chime.aws", port: 3478)))
        let tcp = AgentPlan.targets("tcp", rules: rules, reflector: Self.reflector, reflectorPorts: [3478, 443])
        #expect(!tcp.contains { $0.host == "readiness.example.net" }, "the reflector is UDP only")
        #expect(AgentPlan.untargetedRules(rules, tcp: tcp, udp: udp, reflector: Self.reflector, unboundPorts: []).isEmpty)
    }

    @Test func withoutUDP443TheRuleIsListedUntargetedWithTheReason() throws {
        let rules = try BundledPolicy.sococo().document.rules
        let udp = AgentPlan.targets("udp", rules: rules, reflector: Self.reflector, reflectorPorts: [3478])
        #expect(!udp.contains { $0.port == 443 })
        let tcp = AgentPlan.targets("tcp", rules: rules, reflector: Self.reflector, reflectorPorts: [3478])
        let untargeted = AgentPlan.untargetedRules(rules, tcp: tcp, udp: udp, reflector: Self.reflector, unboundPorts: [443])
        #expect(untargeted.map(\.rule) == ["udp-443"])
        #expect(untargeted.first?.code == "UDP_443_BLOCKED")
        #expect(untargeted.first?.reason.contains("could not bind UDP 443") == true)
        #expect(untargeted.first?.reason.contains("stays unknown") == true)
    }

    @Test func thePlansReflectorPortCountsAsATarget() throws {
        let rules = try BundledPolicy.sococo().document.rules
        let onPort443 = AgentPlan.HostPort(host: "reflector.example.net", port: 443)
        let udp = AgentPlan.targets("udp", rules: rules, reflector: onPort443, reflectorPorts: [443])
        #expect(udp.contains(onPort443))
        // A hand-set READINESS_REFLECTOR_PORT=443 (the reflector elsewhere): UDP 443 is covered.
        let untargeted = AgentPlan.untargetedRules(rules, tcp: [], udp: [], reflector: onPort443, unboundPorts: [])
        #expect(!untargeted.map(\.rule).contains("udp-443"))
        #expect(untargeted.map(\.rule).contains("tcp-443"), "no TCP target at all leaves TCP 443 untested")
    }
}
