import Testing
@testable import HTTPServer

@Suite struct RequestParserTests {
    let harness = ParseHarness()

    @Test func parsesSimpleGet() throws {
        let parsed = try #require(try harness.parse(Array("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n".utf8)))
        #expect(parsed.request.method == .get)
        #expect(parsed.request.target == "/a?b=1")
        #expect(parsed.framing.keepAlive)
        #expect(parsed.request.headers["HOST"] == "x")
        #expect(parsed.request.headers.values(for: "X-MULTI") == ["1", "2"])
    }

    struct Rejection: CustomTestStringConvertible, Sendable {
        var name: String
        var request: String
        var status: Int
        var testDescription: String { name }
    }

    static let rejections: [Rejection] = [
        .init(name: "content-length with transfer-encoding",
              request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        .init(name: "duplicate content-length",
              request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", status: 400),
        .init(name: "conflicting content-length list",
              request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\n", status: 400),
        .init(name: "plus-signed content-length", request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n", status: 400),
        .init(name: "negative content-length", request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", status: 400),
        .init(name: "hex content-length", request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n", status: 400),
        .init(name: "overflowing content-length",
              request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 400),
        .init(name: "obs-fold", request: "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n", status: 400),
        .init(name: "whitespace before colon", request: "GET / HTTP/1.1\r\nHost : x\r\n\r\n", status: 400),
        .init(name: "control byte in value", request: "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{01}b\r\n\r\n", status: 400),
        .init(name: "NUL in value", request: "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{00}b\r\n\r\n", status: 400),
        .init(name: "bare LF line ending", request: "GET / HTTP/1.1\nHost: x\r\n\r\n", status: 400),
        .init(name: "missing host on 1.1", request: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", status: 400),
        .init(name: "duplicate host", request: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        .init(name: "space inside host", request: "GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n", status: 400),
        .init(name: "host with userinfo", request: "GET / HTTP/1.1\r\nHost: user@example.com\r\n\r\n", status: 400),
        .init(name: "host with a path", request: "GET / HTTP/1.1\r\nHost: example.com/a\r\n\r\n", status: 400),
        .init(name: "non-digit port", request: "GET / HTTP/1.1\r\nHost: example.com:80a\r\n\r\n", status: 400),
        .init(name: "two colons outside brackets", request: "GET / HTTP/1.1\r\nHost: ::1:80\r\n\r\n", status: 400),
        .init(name: "unclosed IP-literal", request: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", status: 400),
        .init(name: "empty IP-literal", request: "GET / HTTP/1.1\r\nHost: []\r\n\r\n", status: 400),
        .init(name: "junk after IP-literal", request: "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", status: 400),
        .init(name: "bad percent-encoding", request: "GET / HTTP/1.1\r\nHost: ex%zzample\r\n\r\n", status: 400),
        .init(name: "non-ASCII host", request: "GET / HTTP/1.1\r\nHost: caf\u{E9}.example\r\n\r\n", status: 400),
        .init(name: "unknown transfer coding", request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501),
        .init(name: "chunked not final", request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", status: 400),
        .init(name: "transfer-encoding on HTTP/1.0",
              request: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        .init(name: "unknown method", request: "BREW / HTTP/1.1\r\nHost: x\r\n\r\n", status: 501),
        .init(name: "lowercase method is a different token", request: "get / HTTP/1.1\r\nHost: x\r\n\r\n", status: 501),
        .init(name: "HTTP/2.0 version", request: "GET / HTTP/2.0\r\nHost: x\r\n\r\n", status: 505),
        .init(name: "malformed version", request: "GET / HTTP/1.1x\r\nHost: x\r\n\r\n", status: 400),
        .init(name: "double space in request line", request: "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
        .init(name: "relative target", request: "GET index.html HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
        .init(name: "unsupported expectation", request: "POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", status: 417),
        .init(name: "bad chunk size",
              request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", status: 400),
        .init(name: "overflowing chunk size",
              request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", status: 400),
        .init(name: "bad chunk extension",
              request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;=x\r\nab\r\n0\r\n\r\n", status: 400),
        .init(name: "chunk data without CRLF",
              request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", status: 400),
    ]

    @Test(arguments: rejections)
    func rejectsMalformedRequest(_ case: Rejection) {
        #expect(harness.rejection(`case`.request) == `case`.status)
    }

    /// RFC 9112 §3.2 with RFC 3986 §3.2.2: reg-names (sub-delims and pct-encoding included),
    /// IPv4, IP-literals, an empty port, and the empty value a target without authority sends.
    @Test(arguments: ["example.com", "example.com:8080", "127.0.0.1:443", "[::1]", "[::1]:8443", "[v1.fe]",
                      "ex%41mple.com", "a-b_c~d.!$&'()*+,;=", "host:", ""])
    func acceptsValidHostValues(_ host: String) throws {
        let parsed = try #require(try harness.parse(Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)))
        #expect(parsed.request.headers["host"] == host)
    }

    @Test func rejectsLongRequestLineWith414() {
        let target = "/" + String(repeating: "a", count: 9000)
        #expect(harness.rejection("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n") == 414)
        // Even before the line ends, so an endless line is never buffered.
        #expect(harness.rejection("GET \(target)") == 414)
    }

    @Test func rejectsLargeHeaderSectionWith431() {
        let big = "X-Big: " + String(repeating: "b", count: 17 * 1024) + "\r\n"
        #expect(harness.rejection("GET / HTTP/1.1\r\nHost: x\r\n\(big)\r\n") == 431)
        #expect(harness.rejection("GET / HTTP/1.1\r\nHost: x\r\n\(big)") == 431)
    }

    @Test func rejectsTooManyHeaderFieldsWith431() {
        let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
        #expect(harness.rejection("GET / HTTP/1.1\r\nHost: x\r\n\(fields)\r\n") == 431)
    }

    @Test func rejectsBodyOverLimitWith413BeforeReadingIt() {
        #expect(harness.rejection("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n") == 413)
    }

    @Test func acceptsHTTP10WithoutHostAndClosesByDefault() throws {
        let parsed = try #require(try harness.parse(Array("GET / HTTP/1.0\r\n\r\n".utf8)))
        #expect(parsed.request.version == .http1_0)
        #expect(!parsed.framing.keepAlive)
        let kept = try #require(try harness.parse(Array("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n".utf8)))
        #expect(kept.framing.keepAlive)
    }

    @Test func connectionCloseDisablesKeepAlive() throws {
        let parsed = try #require(try harness.parse(Array("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)))
        #expect(!parsed.framing.keepAlive)
    }

    @Test func ignoresLeadingEmptyLine() throws {
        let parsed = try #require(try harness.parse(Array("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        #expect(parsed.request.method == .get)
    }

    @Test func parsesRequestDeliveredOneByteAtATime() throws {
        let bytes = Array("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".utf8)
        var parser = RequestHeadParser(limits: HTTPLimits())
        var fed: [UInt8] = []
        var found: HTTPRequest?
        var used = 0
        var framing = RequestFraming()
        for byte in bytes {
            fed.append(byte)
            found = try fed.withUnsafeBufferPointer { try parser.parse($0, used: &used, framing: &framing) }
            if found != nil { break }
        }
        #expect(try #require(found).path == "/upload")
        #expect(framing.body == .length(5))
        #expect(used == bytes.count - 5)
    }

    @Test func splitsPipelinedRequestsInOrder() throws {
        let bytes = Array("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let first = try #require(try harness.parse(bytes))
        let second = try #require(try harness.parse(Array(bytes[first.used...])))
        #expect(first.request.target == "/1")
        #expect(second.request.target == "/2")
        #expect(first.used + second.used == bytes.count)
    }

    @Test func recognises100Continue() throws {
        let parsed = try #require(try harness.parse(
            Array("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nab".utf8)))
        #expect(parsed.framing.expectsContinue)
    }
}
