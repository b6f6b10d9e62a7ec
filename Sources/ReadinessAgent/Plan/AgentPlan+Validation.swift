import ReadinessContract
import Foundation

extension AgentPlan {
    /// A plan the agent cannot run (exit 65): every reason, so one fix covers them all.
    public struct Unrunnable: Error, Sendable, CustomStringConvertible {
        public let reasons: [String]
        public var description: String { "plan cannot be run: " + reasons.joined(separator: "; ") }
    }

    /// Decodes the plan body; a body that is not a plan is unrunnable, naming the bad member.
    public static func decode(_ body: [UInt8]) throws -> AgentPlan {
        do {
            let plan = try JSONDecoder().decode(AgentPlan.self, from: Data(body))
            try plan.validate()
            return plan
        } catch let error as Unrunnable {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw Unrunnable(reasons: ["missing \(Self.path(context.codingPath + [key]))"])
        } catch let DecodingError.typeMismatch(_, context) {
            throw Unrunnable(reasons: ["\(Self.path(context.codingPath)) has the wrong type"])
        } catch let DecodingError.valueNotFound(_, context) {
            throw Unrunnable(reasons: ["\(Self.path(context.codingPath)) is null"])
        } catch {
            throw Unrunnable(reasons: ["the answer is not a JSON plan"])
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        "/" + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }

    /// Values the probes cannot honour: ports outside 1–65535, empty hosts, non-positive
    /// sample counts, intervals or idle gaps.
    public func validate() throws {
        var reasons: [String] = []
        func check(_ target: HostPort, _ pointer: String) {
            if target.host.isEmpty { reasons.append("\(pointer)/host is empty") }
            if !(1...65_535).contains(target.port) { reasons.append("\(pointer)/port \(target.port) is not 1–65535") }
        }
        for (index, target) in tcpTargets.enumerated() { check(target, "/tcp_targets/\(index)") }
        for (index, target) in stunTargets.enumerated() { check(target, "/stun_targets/\(index)") }
        check(reflector, "/reflector")
        for (index, host) in websocketTargets.enumerated() where host.isEmpty { reasons.append("/websocket_targets/\(index) is empty") }
        for (index, target) in tlsTargets.enumerated() where target.host.isEmpty { reasons.append("/tls_targets/\(index)/host is empty") }
        if latency.samples < 1 || latency.samples > 10_000 { reasons.append("/latency/samples \(latency.samples) is not 1–10000") }
        if latency.intervalMs < 1 || latency.intervalMs > 60_000 { reasons.append("/latency/interval_ms \(latency.intervalMs) is not 1–60000") }
        if udpTimeout.maxS < 1 { reasons.append("/udp_timeout/max_s must be positive") }
        if udpTimeout.stepsS.contains(where: { $0 < 1 }) { reasons.append("/udp_timeout/steps_s must be positive") }
        if bandwidth.downloadBytes < 0 || bandwidth.uploadBytes < 0 { reasons.append("/bandwidth byte counts must not be negative") }
        guard reasons.isEmpty else { throw Unrunnable(reasons: reasons) }
    }
}
