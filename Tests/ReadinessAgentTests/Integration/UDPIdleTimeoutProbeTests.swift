import ReadinessContract
import Foundation
import ReadinessServiceTestSupport
import Sockets
import STUN
import Testing
@testable import ReadinessAgent

@Suite struct UDPIdleTimeoutProbeTests {
    /// Against the service's real reflector on loopback (no firewall: every binding survives).
    @Test func realReflectorAnswersAfterEachGap() async throws {
        try await LiveService.with(configure: { $0.reflectorListen = .addresses(["127.0.0.1:0"]) }) { live in
            let site = try await AgentTestSite.make(live)
            let planBody = try await live.client.get("/v1/agent/plan", token: site.agentToken)
            let plan = try AgentPlan.decode([UInt8](planBody.body))
            let probe = UDPIdleTimeoutProbe(reflector: plan.reflector, stepsS: [1, 2, 3, 4], maxS: 4, grace: .seconds(2))
            let started = ContinuousClock.now
            #expect(await probe.run() == .init(lowerBoundS: 4, upperBoundS: nil, probeMaxS: 4))
            // The gaps idle side by side (about 4 s), not one after the other: that cannot take
            // less than their sum, 10 s. The margin is for a loaded machine (the suite runs in
            // parallel on two cores), where 3 s gaps side by side once took 6.6 s.
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    /// A reflector that acknowledges every request but answers only gaps up to 1 s: what a
    /// firewall with a short idle timeout looks like from the agent.
    @Test func bindingsThatGoQuietAreExpiryAboveTheLargestSurvivor() async throws {
        let reflector = try ForgetfulReflector(answersUpToMs: 1000)
        defer { reflector.stop() }
        let probe = UDPIdleTimeoutProbe(
            reflector: .init(host: "127.0.0.1", port: reflector.port), stepsS: [1, 2, 3], maxS: 3, grace: .seconds(2))
        #expect(await probe.run() == .init(lowerBoundS: 1, upperBoundS: 2, probeMaxS: 3))
    }

    @Test func noAcknowledgementLeavesTheSectionOut() async throws {
        // A bound socket that never answers.
        let silent = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        defer { silent.close() }
        let port = Int(try silent.localAddress().port)
        let probe = UDPIdleTimeoutProbe(reflector: .init(host: "127.0.0.1", port: port), stepsS: [1], maxS: 1)
        #expect(await probe.run() == nil)
    }
}

/// Acks ANSWER-AFTER requests at once and sends the delayed answer only for short delays.
final class ForgetfulReflector: Sendable {
    let socket: UDPSocket
    let port: Int

    init(answersUpToMs limit: UInt32) throws {
        socket = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        port = Int(try socket.localAddress().port)
        let socket = socket
        Thread {
            while let datagram = try? socket.receive(timeout: nil) {
                guard let request = try? STUNMessage(decoding: datagram.bytes), request.kind == .bindingRequest else { continue }
                let ack = STUNMessage(kind: .bindingSuccess, transactionID: request.transactionID)
                _ = try? socket.send(ack.encoded(), to: datagram.from)
                guard let delay = request.answerAfterMilliseconds, delay <= limit else { continue }
                let answer = STUNMessage(kind: .bindingSuccess, transactionID: request.transactionID, attributes: [.answerAfter(milliseconds: delay)])
                let peer = datagram.from
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(delay))) {
                    _ = try? socket.send(answer.encoded(), to: peer)
                }
            }
        }.start()
    }

    func stop() { socket.close() }
}
