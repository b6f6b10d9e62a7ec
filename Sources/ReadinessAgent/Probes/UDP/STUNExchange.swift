import Sockets
import STUN
import SystemClock

/// STUN Binding requests over one connected UDP socket (RFC 8489 §6.2.1): the request is
/// retransmitted after RTO, 2·RTO, 4·RTO… until a response with its transaction ID arrives.
///
/// Blocking: use from a dedicated thread.
struct STUNExchange {
    let socket: UDPSocket
    let peer: SocketAddress

    /// RFC 8489 §6.2.1's default initial RTO.
    static let initialRTO: Duration = .milliseconds(500)
    /// Sends at 0, 0.5, 1.5 and 3.5 s and gives up at 4 s: a bounded cut of the RFC's 39.5 s
    /// schedule, enough to ride out a lost datagram or two without stalling a run.
    static let giveUpAfter: Duration = .seconds(4)

    /// The wire size our reflector needs a plain request to have: it answers only when its
    /// response is not larger than the request (no amplification).
    static let reflectorRequestSize = 128

    /// Opens a socket connected to `host:port` (resolving the name on this thread).
    static func open(host: String, port: Int) throws -> STUNExchange {
        let addresses = try HostResolver.resolve(host, port: port, transport: .udp)
        guard let peer = addresses.first else {
            throw HostResolver.ResolutionError(host: host, message: "no usable address")
        }
        let socket = try UDPSocket(family: peer.family)
        try socket.connect(to: peer)
        return STUNExchange(socket: socket, peer: peer)
    }

    /// A Binding request; padded to `paddedTo` bytes on the wire when given (for our reflector
    /// only: third-party servers need no padding and some reject unknown sizes).
    static func request(_ id: STUNTransactionID = .random(), answerAfterMs: UInt32? = nil, paddedTo size: Int? = nil) -> STUNMessage {
        var attributes: [STUNAttribute] = []
        if let answerAfterMs { attributes.append(.answerAfter(milliseconds: answerAfterMs)) }
        var message = STUNMessage(kind: .bindingRequest, transactionID: id, attributes: attributes)
        if let size {
            // PADDING's own 4-byte header counts; its value is padded to a multiple of 4.
            let missing = size - message.encoded().count - 4
            if missing > 0 { message.attributes.append(.padding(missing / 4 * 4)) }
        }
        return message
    }

    /// Sends `request` with retransmissions until a Binding response with its transaction ID
    /// arrives; returns it with the round trip from the latest transmission (Karn's caveat:
    /// an answer to an earlier copy makes it look shorter, which only errs toward "reachable").
    func transact(_ request: STUNMessage, giveUpAfter limit: Duration = giveUpAfter) throws -> (response: STUNMessage, rttMs: Double)? {
        let bytes = request.encoded()
        let start = MonotonicTime.now()
        let end = start + limit
        var rto = Self.initialRTO
        var nextSend = start
        var lastSend = start
        while MonotonicTime.now() < end {
            if !(MonotonicTime.now() < nextSend) {
                lastSend = .now()
                try socket.send(bytes)
                nextSend = lastSend + rto
                rto = rto * 2
            }
            let waitUntil = min(nextSend, end)
            guard let response = try receive(matching: request.transactionID, until: waitUntil) else { continue }
            return (response, MonotonicTime.now().milliseconds(since: lastSend))
        }
        return nil
    }

    /// The next Binding response (success or error) with `id`, or nil at `deadline`. Other
    /// datagrams (late answers to earlier requests, anything not STUN) are skipped.
    func receive(matching id: STUNTransactionID, until deadline: MonotonicTime) throws -> STUNMessage? {
        while MonotonicTime.now() < deadline {
            guard let datagram = try socket.receive(timeout: deadline.duration(since: .now())) else { return nil }
            guard let message = try? STUNMessage(decoding: datagram.bytes), message.transactionID == id,
                  message.kind != .bindingRequest
            else { continue }
            return message
        }
        return nil
    }

    func close() {
        socket.close()
    }
}
