import Foundation
import HTTPServer
import SystemCrypto

/// The server's side of the WebSocket opening handshake (RFC 6455 §4.2), for the gateway probe:
/// an agent learns whether a proxy or security gateway lets a WebSocket upgrade through. Nothing
/// is exchanged afterwards, so the answer is 101 followed at once by a Close frame.
enum WebSocketHandshake {
    /// The only version this server speaks (RFC 6455 §4.2.2).
    static let version = "13"
    /// A Close frame (RFC 6455 §5.5.1): FIN + opcode 0x8, unmasked (§5.1: servers never mask),
    /// two payload bytes holding status 1000, normal closure (§7.4.1).
    static let closeFrame: [UInt8] = [0x88, 0x02, 0x03, 0xE8]

    /// The 101 for a valid opening handshake; a problem for anything else.
    static func respond(to request: HTTPRequest) throws -> HTTPResponse {
        // §4.2.1 item 1: an HTTP/1.1 or higher GET (HEAD reaches this GET route too).
        guard request.method == .get, request.version != .http1_0 else {
            throw fault("the opening handshake must be an HTTP/1.1 GET (RFC 6455 §4.2.1)")
        }
        // Items 3 and 4: Upgrade names websocket, Connection lists upgrade (both case-insensitive).
        guard tokens(request.headers.values(for: "upgrade")).contains("websocket") else {
            throw fault("Upgrade must be websocket (RFC 6455 §4.2.1)")
        }
        guard tokens(request.headers.values(for: "connection")).contains("upgrade") else {
            throw fault("Connection must include upgrade (RFC 6455 §4.2.1)")
        }
        // Item 6 and §4.2.2: another version gets 426 naming the one we speak.
        guard request.headers.values(for: "sec-websocket-version").map({ $0.trimmingCharacters(in: .whitespaces) }) == [version] else {
            throw HTTPError(
                status: .upgradeRequired, detail: "Sec-WebSocket-Version must be 13 (RFC 6455 §4.2.2)",
                problem: ProblemTypes.upgradeRequired, headers: ["Sec-WebSocket-Version": version])
        }
        // Item 5: one key, base64 of 16 bytes.
        let keys = request.headers.values(for: "sec-websocket-key")
        guard keys.count == 1, let key = keys.first?.trimmingCharacters(in: .whitespaces),
            Data(base64Encoded: key)?.count == 16
        else {
            throw fault("Sec-WebSocket-Key must be the base64 of 16 bytes (RFC 6455 §4.2.1)")
        }
        return .switchingProtocols(
            upgrade: "websocket", headers: ["Sec-WebSocket-Accept": WebSocketAccept.value(forKey: key)], thenSend: closeFrame)
    }

    /// Comma-separated tokens of every field line, lower-cased (RFC 9110 §5.6.1).
    private static func tokens(_ values: [String]) -> Set<String> {
        Set(values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    private static func fault(_ detail: String) -> HTTPError {
        HTTPError(status: .badRequest, detail: detail, problem: ProblemTypes.invalidRequest)
    }
}
