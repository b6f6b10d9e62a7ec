import Foundation

/// The `Sec-WebSocket-Accept` value a WebSocket server owes a client's key (RFC 6455 §4.2.2,
/// item 5.4): the service computes it to answer, the agent to check the answer. Here, beside
/// SHA-1, because both sides need the one function and it is SHA-1's only use.
public enum WebSocketAccept {
    /// RFC 6455 §1.3: appended to the client's key before hashing.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// base64(SHA-1(key + GUID)).
    public static func value(forKey key: String) -> String {
        Data(Digest.sha1(Array((key + guid).utf8))).base64EncodedString()
    }
}
