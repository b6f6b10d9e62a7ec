import ReadinessContract
import Sockets

/// UDP reachability: a STUN Binding request to a target, retransmitted per RFC 8489 §6.2.1
/// (bounded to ~4 s); reachable with the first answer's round trip as `connect_ms`.
struct UDPReachabilityProbe: Sendable {
    /// Pad requests: only for the service's own reflector (see ``STUNExchange``).
    let padded: Bool

    func run(_ target: AgentPlan.HostPort) async -> ProbeResult.ReachabilityProbe {
        let padded = padded
        do {
            let rtt = try await DedicatedThread.run(name: "probe-udp") { () throws -> Double? in
                let exchange = try STUNExchange.open(host: target.host, port: target.port)
                defer { exchange.close() }
                let request = STUNExchange.request(paddedTo: padded ? STUNExchange.reflectorRequestSize : nil)
                guard let answer = try exchange.transact(request), answer.response.kind == .bindingSuccess else { return nil }
                return answer.rttMs
            }
            guard let rtt else { return .init(.udp, target.host, target.port, reachable: false, error: ProbeFailure.timeout.rawValue) }
            return .init(.udp, target.host, target.port, reachable: true, connectMs: rtt)
        } catch {
            return .init(.udp, target.host, target.port, reachable: false, error: ProbeError.failure(for: error).rawValue)
        }
    }
}
