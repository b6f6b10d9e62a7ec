import Sockets

extension HTTPConnection {
    /// Writes a 101 (see ``HTTPResponse/switchingProtocols(upgrade:headers:thenSend:)``): no
    /// Content-Length (RFC 9110 §8.6 forbids it on 1xx), `Connection: Upgrade` (RFC 9110 §7.8),
    /// the new protocol's bytes, then a half-close. Later bytes from the client belong to the
    /// new protocol and are discarded while lingering, never parsed as HTTP.
    func writeSwitchingProtocols(_ response: HTTPResponse) {
        var bytes = Array("HTTP/1.1 101 Switching Protocols\r\n".utf8)
        // Fields that could split the response (RFC 9110 §5.5) are already left out here.
        response.headers.forEachValidField { name, value in
            guard !ResponseHead.isServerOwned(name) else { return }
            bytes.append(contentsOf: name)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: value)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        bytes.append(contentsOf: "Connection: Upgrade\r\n".utf8)
        bytes.append(contentsOf: state.date.fieldLine)
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: response.body)
        socket.enqueue(bytes)
        beginClose(linger: true)
    }
}
