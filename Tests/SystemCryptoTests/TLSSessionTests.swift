import SystemCrypto
import Testing

/// The session without a network: its first flight, SNI for names only (RFC 6066 §3), and a
/// peer that answers with something other than TLS.
@Suite struct TLSSessionTests {
    @Test func firstFlightIsAClientHelloNamingTheHost() throws {
        let session = try TLSSession(host: "probe.example.net", context: TLSClientContext(trust: .system))
        guard case .needsInput = session.handshakeStep() else {
            Issue.record("a handshake cannot finish without the peer")
            return
        }
        let hello = session.takeOutput()
        // A handshake record (RFC 8446 §5.1: content type 22) carrying a ClientHello (type 1).
        #expect(hello.first == 22)
        #expect(hello.count > 5 && hello[5] == 1)
        #expect(contains(hello, Array("probe.example.net".utf8)))
        #expect(session.takeOutput().isEmpty)
    }

    @Test func addressLiteralsAreNotSentAsServerNames() throws {
        let session = try TLSSession(host: "192.0.2.7", context: TLSClientContext(trust: .system))
        _ = session.handshakeStep()
        #expect(!contains(session.takeOutput(), Array("192.0.2.7".utf8)))
    }

    @Test func aPeerThatDoesNotSpeakTLSFailsTheHandshake() throws {
        let session = try TLSSession(host: "probe.example.net", context: TLSClientContext(trust: .system))
        _ = session.handshakeStep()
        _ = session.takeOutput()
        session.receive(Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
        guard case .failed(let error) = session.handshakeStep() else {
            Issue.record("plain HTTP must not pass for a ServerHello")
            return
        }
        #expect(!error.message.isEmpty)
    }

    @Test func aMissingCAFileIsAnError() {
        #expect(throws: TLSError.self) { try TLSClientContext(trust: .caFile("/nonexistent/ca.pem")) }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
