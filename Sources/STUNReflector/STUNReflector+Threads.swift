import Foundation
import Logging
import Sockets
import SystemClock

extension STUNReflector {
    /// Receives on one socket until it is closed, answering each datagram at once.
    func receiveLoop(socket: UDPSocket, index: Int) {
        while !socket.isClosed {
            let datagram: (bytes: [UInt8], from: SocketAddress)?
            do {
                datagram = try socket.receive(timeout: nil)
            } catch {
                if socket.isClosed { return }
                // Not expected on an unconnected socket; pause so a persistent error is not a spin.
                logger.debug("STUN reflector receive failed", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            guard let datagram else { continue }
            let (answer, scheduled) = withCore { core, _ in
                let before = core.nextDue
                let answer = core.receive(datagram.bytes, from: datagram.from, socket: index, now: .now())
                return (answer, core.nextDue != before)
            }
            if scheduled { timer.wake() }
            if let answer { send(answer) }
        }
    }

    /// Sends delayed answers as they fall due, and logs the counters now and then.
    func timerLoop() {
        var lastLogged = MonotonicTime.now()
        var loggedCounters = ReflectorCounters()
        while true {
            let (due, next, stopping, counters) = withCore { core, stopping in
                (stopping ? [] : core.takeDue(now: .now()), core.nextDue, stopping, core.counters)
            }
            if stopping { return }
            for answer in due { send(answer) }
            let now = MonotonicTime.now()
            if now.duration(since: lastLogged) >= configuration.counterLogInterval {
                if counters != loggedCounters {
                    logger.debug("STUN reflector counters", metadata: ["counters": "\(counters)"])
                    loggedCounters = counters
                }
                lastLogged = now
            }
            let logDue = lastLogged + configuration.counterLogInterval
            timer.sleep(until: next.map { min($0, logDue) } ?? logDue)
        }
    }

    private func send(_ datagram: OutgoingDatagram) {
        let sent = (try? sockets[datagram.socket].send(datagram.bytes, to: datagram.destination)) ?? false
        if !sent { withCore { core, _ in core.countSendFailure() } }
    }
}
