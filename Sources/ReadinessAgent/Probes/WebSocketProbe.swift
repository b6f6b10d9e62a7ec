import HTTPClient
import Foundation
import ReadinessContract
import Sockets
import SystemClock
import SystemCrypto

/// Whether a WebSocket upgrade (RFC 6455 §4) gets through to a host, directly and through
/// the configured proxy: a security gateway that strips `Upgrade` or answers with its own
/// page fails it. Allowed means `101` with the `Sec-WebSocket-Accept` the key demands.
struct WebSocketProbe: Sendable {
    let server: ServerURL
    let token: String
    let dialer: StreamDialer
    var timeout: Duration = .seconds(5)

    /// Where the handshake goes: our own `/v1/probe/websocket` for the service's host (same
    /// scheme and port), else `wss://host/`.
    struct Endpoint: Sendable, Equatable {
        let secure: Bool
        let host: String
        let port: Int
        let path: String
        let ours: Bool
    }

    func endpoint(for host: String) -> Endpoint {
        if host.caseInsensitiveCompare(server.host) == .orderedSame {
            return Endpoint(secure: server.secure, host: server.host, port: server.port, path: server.path("/v1/probe/websocket"), ours: true)
        }
        return Endpoint(secure: true, host: host, port: 443, path: "/", ours: false)
    }

    /// The direct attempt, then one through the proxy when a proxy applies to the host.
    func run(host: String) async -> [ProbeResult.GatewayProbe] {
        let target = endpoint(for: host)
        var results = [await attempt(target, host: host, viaProxy: false)]
        if dialer.proxies.proxy(secure: target.secure, host: target.host) != nil {
            results.append(await attempt(target, host: host, viaProxy: true))
        }
        return results
    }

    private func attempt(_ target: Endpoint, host: String, viaProxy: Bool) async -> ProbeResult.GatewayProbe {
        let dialer = dialer, timeout = timeout, token = token
        let outcome = try? await DedicatedThread.run(name: "probe-websocket") { () throws -> (Int, Bool) in
            let deadline = MonotonicTime.now() + timeout
            let opened = try dialer.open(
                secure: target.secure, host: target.host, port: target.port, useProxy: viaProxy, requireTrust: false, deadline: deadline)
            let authority = target.port == (target.secure ? 443 : 80) ? target.host : "\(target.host):\(target.port)"
            let connection = HTTPClientConnection(opened: opened, secure: target.secure, authority: authority)
            defer { connection.close() }
            let key = Self.makeKey()
            var headers = [
                ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13"),
            ]
            if target.ours { headers.append(("Authorization", "Bearer \(token)")) }
            try connection.sendRequest("GET", target.path, headers: headers, deadline: deadline)
            let head = try connection.readHead(deadline: deadline)
            let field = { (name: String) in head.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
            let upgraded = head.status == 101
                && field("Upgrade")?.lowercased() == "websocket"
                && field("Sec-WebSocket-Accept") == WebSocketAccept.value(forKey: key)
            if upgraded {
                // A masked Close (RFC 6455 §5.5.1, code 1000) ends the session politely.
                try? connection.sendBody(Self.closeFrame(), deadline: deadline)
            }
            return (head.status, upgraded)
        }
        return .init(kind: .websocket, host: host, allowed: outcome?.1 ?? false, viaProxy: viaProxy, status: outcome?.0)
    }

    /// 16 random bytes, base64 (RFC 6455 §4.1, item 7).
    static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    /// FIN + Close opcode, masked payload of status 1000 (clients must mask, §5.3).
    static func closeFrame() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let mask = (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let payload: [UInt8] = [0x03, 0xE8]
        return [0x88, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }
}
