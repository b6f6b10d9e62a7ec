@testable import HTTPClient
import Sockets
import SystemClock
import SystemCrypto
import Testing
@testable import ReadinessAgent

/// Bytes fed to the reader in the pieces a network might cut them into.
final class ScriptedStream: ByteStream {
    var pieces: [[UInt8]]
    var written: [UInt8] = []

    init(_ text: String, pieceSize: Int = 7) {
        let bytes = Array(text.utf8)
        pieces = stride(from: 0, to: bytes.count, by: pieceSize).map { Array(bytes[$0..<min($0 + pieceSize, bytes.count)]) }
    }

    func write(_ bytes: [UInt8], deadline: MonotonicTime) throws { written += bytes }

    func read(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8] {
        guard !pieces.isEmpty else { return [] }
        var piece = pieces.removeFirst()
        if piece.count > maxCount {
            pieces.insert(Array(piece[maxCount...]), at: 0)
            piece = Array(piece[..<maxCount])
        }
        return piece
    }

    func close() {}
}

@Suite struct HTTPResponseReaderTests {
    let deadline = MonotonicTime.now() + .seconds(5)

    /// Names match whatever their case; values lose the optional whitespace (SP and HTAB)
    /// around them and keep what is inside; a line without a colon is ignored; chunk sizes may
    /// have whitespace after them.
    @Test func fieldsAreReadWithoutTheirOptionalWhitespace() throws {
        let reader = HTTPResponseReader(stream: ScriptedStream(
            "HTTP/1.1 429 Too Many Requests\r\nretry-after: \t 7 \t\r\nX-Note:a  b\r\nnot a field\r\n"
                + "TRANSFER-ENCODING: Chunked\r\n\r\n3 \t\r\nabc\r\n0\r\n\r\n"))
        let head = try reader.readHead(deadline: deadline)
        #expect(head.headers.map(\.name) == ["retry-after", "X-Note", "TRANSFER-ENCODING"])
        let body = try reader.readBody(headers: head.headers, status: head.status, requestMethod: "POST", limit: 100, deadline: deadline)
        let response = HTTPClientResponse(status: head.status, headers: head.headers, body: body)
        #expect(response.header("Retry-After") == "7")
        #expect(response.header("x-note") == "a  b")
        #expect(response.header("X-Missing") == nil)
        #expect(response.text == "abc")
    }

    @Test func contentLengthBodyAndKeepAliveNextResponse() throws {
        let stream = ScriptedStream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nVia: 1.1 gw\r\n\r\nhelloHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        let reader = HTTPResponseReader(stream: stream)
        let head = try reader.readHead(deadline: deadline)
        #expect(head.status == 200)
        #expect(head.headers.contains { $0.name == "Via" && $0.value == "1.1 gw" })
        #expect(try reader.readBody(headers: head.headers, status: 200, requestMethod: "GET", limit: 100, deadline: deadline) == Array("hello".utf8))
        #expect(try reader.readHead(deadline: deadline).status == 404)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let stream = ScriptedStream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: y\r\n\r\n", pieceSize: 3)
        let reader = HTTPResponseReader(stream: stream)
        let head = try reader.readHead(deadline: deadline)
        #expect(try reader.readBody(headers: head.headers, status: 200, requestMethod: "GET", limit: 100, deadline: deadline) == Array("Wikipedia".utf8))
    }

    @Test func interimResponsesAreSkippedButSwitchingProtocolsIsNot() throws {
        let reader = HTTPResponseReader(stream: ScriptedStream("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"))
        #expect(try reader.readHead(deadline: deadline).status == 101)
    }

    @Test func bodiesOverTheLimitAndTruncatedBodiesFail() throws {
        let big = HTTPResponseReader(stream: ScriptedStream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"))
        let head = try big.readHead(deadline: deadline)
        #expect(throws: HTTPClientError.self) { try big.readBody(headers: head.headers, status: 200, requestMethod: "GET", limit: 4, deadline: deadline) }
        let short = HTTPResponseReader(stream: ScriptedStream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01"))
        let shortHead = try short.readHead(deadline: deadline)
        #expect(throws: HTTPClientError.self) { try short.readBody(headers: shortHead.headers, status: 200, requestMethod: "GET", limit: 100, deadline: deadline) }
        #expect(throws: HTTPClientError.self) { try HTTPResponseReader(stream: ScriptedStream("SSH-2.0-OpenSSH\r\n\r\n")).readHead(deadline: deadline) }
    }

    @Test func connectTunnelSendsAuthorityAndProxyCredentials() throws {
        let stream = ScriptedStream("HTTP/1.1 200 Connection established\r\n\r\n")
        let proxy = try #require(ProxyEndpoint("http://u:p@gw:3128"))
        try StreamDialer.tunnel(stream, to: "app.sococo.com", port: 443, proxy: proxy, deadline: deadline)
        let request = String(decoding: stream.written, as: UTF8.self)
        #expect(request.hasPrefix("CONNECT app.sococo.com:443 HTTP/1.1\r\nHost: app.sococo.com:443\r\n"))
        #expect(request.contains("Proxy-Authorization: Basic dTpw\r\n"))
        #expect(throws: HTTPClientError.self) {
            try StreamDialer.tunnel(ScriptedStream("HTTP/1.1 403 Forbidden\r\n\r\n"), to: "x", port: 443, proxy: proxy, deadline: deadline)
        }
    }
}

@Suite struct WebSocketHandshakeTests {
    @Test func keysAreSixteenRandomBytesAndCloseFramesAreMasked() throws {
        let key = WebSocketProbe.makeKey()
        #expect(Data(base64Encoded: key)?.count == 16)
        #expect(key != WebSocketProbe.makeKey())
        let frame = WebSocketProbe.closeFrame()
        #expect(frame.count == 8)
        #expect(frame[0] == 0x88)
        #expect(frame[1] == 0x82)
        #expect([frame[6] ^ frame[2], frame[7] ^ frame[3]] == [0x03, 0xE8])
    }

    @Test func serversOwnHostUsesItsProbeEndpointOthersUseWSS() throws {
        let tls = try TLSClientContext(trust: .system)
        let probe = WebSocketProbe(
            server: try #require(ServerURL("http://127.0.0.1:8080/base")), token: "t",
            dialer: StreamDialer(proxies: ProxyEnvironment(), tls: tls))
        #expect(probe.endpoint(for: "127.0.0.1") == .init(secure: false, host: "127.0.0.1", port: 8080, path: "/base/v1/probe/websocket", ours: true))
        #expect(probe.endpoint(for: "app.sococo.com") == .init(secure: true, host: "app.sococo.com", port: 443, path: "/", ours: false))
    }
}

@Suite struct TLSJudgementTests {
    typealias Peer = TLSPeerCheck

    @Test func untrustedChainOrWrongNameOrUnexpectedIssuerIsInterception() {
        let good = Peer(chainVerified: true, hostMatches: true, issuer: "Amazon RSA 2048 M02", verifyError: nil)
        #expect(!TLSInspectionProbe.intercepted(good, expected: nil))
        #expect(!TLSInspectionProbe.intercepted(good, expected: ["Amazon RSA 2048 M02"]))
        #expect(TLSInspectionProbe.intercepted(good, expected: ["Amazon RSA 2048 M03"]))
        #expect(TLSInspectionProbe.intercepted(Peer(chainVerified: false, hostMatches: true, issuer: "Corp CA", verifyError: "x"), expected: nil))
        #expect(TLSInspectionProbe.intercepted(Peer(chainVerified: true, hostMatches: false, issuer: "X", verifyError: nil), expected: nil))
    }
}

import Foundation
