import SystemCrypto
import Testing

/// The one accept-value function the service (to answer) and the agent (to check) share.
@Suite struct WebSocketAcceptTests {
    /// RFC 6455 §1.3's worked example.
    @Test func matchesTheRFCExample() {
        #expect(WebSocketAccept.value(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func usesTheGUIDOfRFC6455() {
        #expect(WebSocketAccept.guid == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
    }
}
