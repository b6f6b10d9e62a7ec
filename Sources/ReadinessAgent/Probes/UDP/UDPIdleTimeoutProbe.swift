import ReadinessContract
import Sockets
import STUN
import SystemClock

/// The firewall's UDP idle timeout, bracketed: per gap one binding (socket) asks the reflector
/// (ANSWER-AFTER = gap) to answer after that long idle. The binding survived the gap if a
/// delayed answer arrives by gap + 3 s. All gaps run at once; the run's other probes go on
/// meanwhile.
struct UDPIdleTimeoutProbe: Sendable {
    let reflector: AgentPlan.HostPort
    let stepsS: [Int]
    let maxS: Int
    /// Grace after the gap for the delayed answer (the reflector sends two, 100 ms apart).
    var grace: Duration = .seconds(3)

    enum GapOutcome: Sendable, Equatable {
        /// No acknowledgement: the request never reached the reflector; says nothing.
        case noAck
        case survived
        case expired
    }

    /// The wire size of ANSWER-AFTER requests: the ack and both delayed answers together
    /// must fit in it (the reflector's no-amplification rule), about 3 × 60 bytes.
    static let requestSize = 512

    func run(progress: (@Sendable (Int, GapOutcome) -> Void)? = nil) async -> ProbeResult.UDPTimeoutProbe? {
        let outcomes = await withTaskGroup(of: (Int, GapOutcome).self) { group in
            for gap in stepsS {
                group.addTask {
                    let outcome = await probe(gap: gap)
                    progress?(gap, outcome)
                    return (gap, outcome)
                }
            }
            var results: [Int: GapOutcome] = [:]
            for await (gap, outcome) in group { results[gap] = outcome }
            return results
        }
        return Self.bracket(outcomes, maxS: maxS)
    }

    /// lower = the largest surviving gap; upper = the smallest expired gap above it (an
    /// expired gap below a surviving one was loss, not expiry); nil without any ack.
    static func bracket(_ outcomes: [Int: GapOutcome], maxS: Int) -> ProbeResult.UDPTimeoutProbe? {
        let acked = outcomes.filter { $0.value != .noAck }
        guard !acked.isEmpty else { return nil }
        let lower = acked.filter { $0.value == .survived }.keys.max() ?? 0
        let upper = acked.filter { $0.value == .expired && $0.key > lower }.keys.min()
        return .init(lowerBoundS: Double(lower), upperBoundS: upper.map(Double.init), probeMaxS: Double(maxS))
    }

    func probe(gap: Int) async -> GapOutcome {
        let reflector = reflector, grace = grace
        let outcome = try? await DedicatedThread.run(name: "probe-udp-timeout") { () throws -> GapOutcome in
            let exchange = try STUNExchange.open(host: reflector.host, port: reflector.port)
            defer { exchange.close() }
            let milliseconds = UInt32(clamping: gap * 1000)
            let request = STUNExchange.request(answerAfterMs: milliseconds, paddedTo: Self.requestSize)
            // The ack is the answer without ANSWER-AFTER; a retransmission that crosses it
            // only schedules one more delayed answer.
            guard let ack = try exchange.transact(request), ack.response.kind == .bindingSuccess else { return .noAck }
            let deadline = MonotonicTime.now() + .seconds(Int64(gap)) + grace
            while let answer = try exchange.receive(matching: request.transactionID, until: deadline) {
                if answer.answerAfterMilliseconds == milliseconds { return .survived }
            }
            return .expired
        }
        return outcome ?? .noAck
    }
}
