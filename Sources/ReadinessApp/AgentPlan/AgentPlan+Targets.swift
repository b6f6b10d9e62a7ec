import Foundation
import ReadinessContract
import ReadinessScoring

extension AgentPlan {
    /// The targets of the policy's `protocol` routes. A route to any destination (`*`, e.g. the
    /// seed's "UDP 443 outbound") names no host; for UDP the service's own reflector stands in
    /// on that port when it listens there, so the rule gets a probe instead of reading unknown.
    static func targets(
        _ proto: String, rules: [PolicyRule], reflector: HostPort, reflectorPorts: Set<Int>
    ) -> [HostPort] {
        unique(rules.compactMap(\.route).filter { $0.protocol == proto }.flatMap { route in
            route.destinations.compactMap { destination -> HostPort? in
                if let host = ProbeTargets.host(for: destination) { return HostPort(host: host, port: route.port) }
                guard proto == "udp", reflectorPorts.contains(route.port) else { return nil }
                return HostPort(host: reflector.host, port: route.port)
            }
        })
    }

    /// Route rules no planned probe can match: scoring finds no result for them, so they read
    /// unknown in every assessment; the plan says which and why rather than leave it silent.
    /// The reflector itself counts as a UDP target on its plan port.
    static func untargetedRules(
        _ rules: [PolicyRule], tcp: [HostPort], udp: [HostPort], reflector: HostPort, unboundPorts: Set<Int>
    ) -> [UntargetedRule] {
        rules.compactMap { rule in
            guard rule.kind == "route", let route = rule.route else { return nil }
            let planned = route.protocol == "tcp" ? tcp : udp + [reflector]
            guard !planned.contains(where: { $0.port == route.port }) else { return nil }
            let transport = "\(route.protocol.uppercased()) \(route.port)"
            let reason = if route.protocol == "udp" && unboundPorts.contains(route.port) {
                "The service's reflector could not bind \(transport) at start (no privilege, or the port is taken; see /readyz) and the rule names no host to probe, so no agent can test it: the rule stays unknown."
            } else if route.protocol == "udp" {
                "The service's reflector does not listen on \(transport) and the rule names no host to probe, so no agent can test it: the rule stays unknown."
            } else {
                "The rule names no host to probe on \(transport) and no other target of the plan uses it: the rule stays unknown."
            }
            return UntargetedRule(rule: rule.id, code: rule.code, reason: reason)
        }
    }
}

/// Order-preserving de-duplication: the plan lists each target once, in policy order.
func unique<T: Hashable>(_ values: [T]) -> [T] {
    var seen = Set<T>()
    return values.filter { seen.insert($0).inserted }
}
