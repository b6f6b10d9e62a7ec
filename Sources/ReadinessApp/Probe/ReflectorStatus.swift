import JSON
import STUNReflector

/// What the reflector of this process listens on, as `/readyz` reports it and agent plans use
/// it: a port it could not bind leaves the policy's rules on that port without a target, and
/// says so instead of letting them read unknown in every assessment.
struct ReflectorStatus: Sendable, Equatable {
    /// UDP ports the reflector answers on, ascending.
    var ports: [Int]
    /// Ports of the default configuration it could not bind (UDP 443 without privilege).
    var unboundPorts: [Int]
    /// Why it matters, when a port is unbound or the reflector is off; absent otherwise.
    var note: String?

    static let off = ReflectorStatus(
        ports: [], unboundPorts: [],
        note: "The reflector is off (READINESS_REFLECTOR_LISTEN=off): agent plans name READINESS_REFLECTOR_HOST and READINESS_REFLECTOR_PORT, and a policy rule for UDP to any destination on another port has no target and stays unknown.")

    init(ports: [Int], unboundPorts: [Int], note: String?) {
        self.ports = ports
        self.unboundPorts = unboundPorts
        self.note = note
    }

    init(_ reflector: STUNReflector?) {
        guard let reflector else {
            self = .off
            return
        }
        ports = Array(Set(reflector.boundAddresses.map { Int($0.port) })).sorted()
        unboundPorts = Set(reflector.unboundAddresses.map { Int($0.address.port) }).subtracting(ports).sorted()
        note = unboundPorts.isEmpty ? nil : Self.unboundNote(unboundPorts)
    }

    /// The one sentence the start's warning and `/readyz` share.
    static func unboundNote(_ ports: [Int]) -> String {
        let list = ports.map { "UDP \($0)" }.joined(separator: ", ")
        return "The reflector could not bind \(list) (no privilege for a port below 1024, or the port is taken): "
            + "agents get no target there, so policy rules for UDP to any destination on \(ports.count == 1 ? "that port" : "those ports") "
            + "(the default policy's udp-443) stay unknown and no site reads better than insufficient_data. "
            + "Grant CAP_NET_BIND_SERVICE, lower net.ipv4.ip_unprivileged_port_start, or set READINESS_REFLECTOR_LISTEN."
    }
}

/// Declared once (`ResponseBytesTests.reflectorStatusAnswer`); `note` is left out when there
/// is nothing to say.
extension ReflectorStatus: JSONObject {
    static let members: JSONMembers<ReflectorStatus> = [
        JSONMember("ports", \.ports),
        JSONMember("unbound_ports", \.unboundPorts),
        .omittedWhenNil("note", \.note),
    ]
}
