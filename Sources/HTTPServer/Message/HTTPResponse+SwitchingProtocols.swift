extension HTTPStatus {
    /// RFC 9110 §15.2.2.
    public static let switchingProtocols = HTTPStatus(code: 101, reasonPhrase: "Switching Protocols")
    /// RFC 9110 §15.5.22: the client must switch to a protocol the server names in `Upgrade`.
    public static let upgradeRequired = HTTPStatus(code: 426, reasonPhrase: "Upgrade Required")
}

extension HTTPResponse {
    /// A 101 that switches the connection to `upgrade` (RFC 9110 §7.8). The server writes the
    /// head with `Connection: Upgrade`, then `bytes` as the first bytes of the new protocol, and
    /// then closes the connection: it speaks nothing but HTTP/1.1 itself, so a handler can only
    /// say something short in the new protocol (e.g. a WebSocket Close frame) and leave.
    public static func switchingProtocols(upgrade: String, headers: HTTPHeaders = [:], thenSend bytes: [UInt8]) -> HTTPResponse {
        var headers = headers
        headers["Upgrade"] = upgrade
        return HTTPResponse(status: .switchingProtocols, headers: headers, body: bytes)
    }
}
