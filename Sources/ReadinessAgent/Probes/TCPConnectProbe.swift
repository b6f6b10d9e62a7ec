import ReadinessContract
import Sockets
import SystemClock

/// TCP reachability: the time from `connect` to the handshake's completion, to each
/// target, within a bound (a firewall that drops SYNs is a timeout, not a hang).
struct TCPConnectProbe: Sendable {
    var timeout: Duration = .seconds(3)

    func run(_ target: AgentPlan.HostPort) async -> ProbeResult.ReachabilityProbe {
        let timeout = timeout
        do {
            let elapsed = try await DedicatedThread.run(name: "probe-tcp") { () throws -> Double in
                let deadline = MonotonicTime.now() + timeout
                let addresses = try HostResolver.resolve(target.host, port: target.port, transport: .tcp)
                // Name resolution is not part of the connect time.
                let start = MonotonicTime.now()
                let socket = try TCPClientSocket.connect(to: addresses, timeout: deadline.duration(since: start))
                let connected = MonotonicTime.now()
                socket.close()
                return connected.milliseconds(since: start)
            }
            return .init(.tcp, target.host, target.port, reachable: true, connectMs: elapsed)
        } catch {
            return .init(.tcp, target.host, target.port, reachable: false, error: ProbeError.failure(for: error).rawValue)
        }
    }
}
