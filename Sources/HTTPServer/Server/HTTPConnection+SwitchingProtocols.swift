extension HTTPConnection {
    /// Writes a 101 (see ``HTTPResponse/switchingProtocols(upgrade:headers:thenSend:)``): no
    /// Content-Length (RFC 9110 §8.6 forbids it on 1xx), `Connection: Upgrade` (RFC 9110 §7.8),
    /// the new protocol's bytes, then a half-close. Later bytes from the client belong to the
    /// new protocol and are discarded while lingering, never parsed as HTTP.
    func writeSwitchingProtocols(_ response: HTTPResponse) {
        let date = state.date.fieldLine
        socket.enqueue { out in
            out.append(contentsOf: "HTTP/1.1 101 Switching Protocols\r\n".utf8)
            for field in response.headers where Self.mayForward(field) {
                out.append(contentsOf: "\(field.name): \(field.value)\r\n".utf8)
            }
            out.append(contentsOf: "Connection: Upgrade\r\n".utf8)
            out.append(contentsOf: date)
            out.append(contentsOf: "\r\n".utf8)
            out.append(contentsOf: response.body)
        }
        beginClose(linger: true)
    }

    /// Handler fields except the framing ones the server owns, and only if they cannot split
    /// the response (RFC 9110 §5.5).
    private static func mayForward(_ field: HTTPHeaders.Field) -> Bool {
        let owned = ["connection", "content-length", "transfer-encoding", "date"]
        guard !owned.contains(where: { field.name.equalsIgnoringASCIICase($0) }) else { return false }
        var name = field.name
        var value = field.value
        let nameIsToken = name.withUTF8 { $0.isToken() }
        let valueIsClean = value.withUTF8 { $0.isFieldValue() }
        return nameIsToken && valueIsClean
    }
}
