import Testing
@testable import HTTPServer

/// `HTTPHeaders` keeps a parsed request's fields as bytes, added fields as strings and the last
/// added field on its own; to callers it must stay one ordered, case-insensitive list.
@Suite struct HeaderStorageTests {
    let harness = ParseHarness()

    private func received(_ fields: String) throws -> HTTPHeaders {
        try #require(try harness.parse(Array("GET / HTTP/1.1\r\n\(fields)\r\n".utf8))).request.headers
    }

    @Test func receivedFieldsAreLookedUpIgnoringCaseInOrder() throws {
        let headers = try received("Host: x\r\nX-Multi: 1\r\nAccept: */*\r\nx-multi:  2 \r\n")
        #expect(headers.count == 4)
        #expect(headers["x-MULTI"] == "1")
        #expect(headers.values(for: "X-Multi") == ["1", "2"])
        #expect(headers.contains("ACCEPT"))
        #expect(!headers.contains("Accept-Encoding"))
        #expect(headers["Missing"] == nil)
        #expect(headers.map(\.name) == ["Host", "X-Multi", "Accept", "x-multi"])
        #expect(headers.map(\.value) == ["x", "1", "*/*", "2"])
    }

    @Test func addedFieldsFollowTheReceivedOnes() throws {
        var headers = try received("Host: x\r\nX-A: 1\r\n")
        headers.add(name: "X-A", value: "2")
        headers.add(name: "X-B", value: "3")
        headers.add(name: "x-a", value: "4")
        #expect(headers.count == 5)
        #expect(headers.values(for: "X-A") == ["1", "2", "4"])
        #expect(headers.map(\.name) == ["Host", "X-A", "X-A", "X-B", "x-a"])
    }

    @Test func removingAReceivedFieldKeepsTheOthersInOrder() throws {
        var headers = try received("Host: x\r\nX-A: 1\r\nX-B: 2\r\nx-a: 3\r\n")
        headers.add(name: "X-C", value: "4")
        headers.remove("x-A")
        #expect(headers.map(\.name) == ["Host", "X-B", "X-C"])
        #expect(headers.map(\.value) == ["x", "2", "4"])
    }

    @Test func settingReplacesEveryFieldWithThatName() throws {
        var headers = try received("Host: x\r\nCache-Control: a\r\n")
        headers.add(name: "cache-control", value: "b")
        headers.add(name: "X-Other", value: "c")
        headers.add(name: "Cache-Control", value: "d")
        headers["CACHE-CONTROL"] = "e"
        #expect(headers.values(for: "Cache-Control") == ["e"])
        #expect(headers.map(\.name) == ["Host", "X-Other", "CACHE-CONTROL"])
        headers["cache-control"] = nil
        #expect(headers.count == 2)
    }

    @Test func addingToACopyLeavesTheSharedOriginalAlone() {
        let shared = HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: [1])
        var first = shared
        first.headers.add(name: "X-Request-Id", value: "a")
        var second = shared
        second.headers.add(name: "X-Request-Id", value: "b")
        second.headers.add(name: "X-More", value: "c")
        #expect(shared.headers.count == 1)
        #expect(first.headers.values(for: "X-Request-Id") == ["a"])
        #expect(second.headers.map(\.name) == ["Content-Type", "X-Request-Id", "X-More"])
        #expect(second.headers.values(for: "X-Request-Id") == ["b"])
    }

    @Test func descriptionNamesFieldsButNeverValues() throws {
        var headers = try received("Host: x\r\nAuthorization: Bearer secret-token\r\n")
        headers.add(name: "Cookie", value: "session=hidden")
        #expect(headers.description == "HTTPHeaders(Host, Authorization, Cookie)")
    }

    @Test func headWithMoreFieldsThanTheStackSpansIsKeptWhole() throws {
        // The parser keeps the first 32 fields' positions on the stack and moves to an array beyond.
        let fields = (0..<60).map { "X-F\($0): value-\($0)\r\n" }.joined()
        let headers = try received("Host: x\r\n\(fields)")
        #expect(headers.count == 61)
        #expect(headers["x-f0"] == "value-0")
        #expect(headers["X-F31"] == "value-31")
        #expect(headers["X-F32"] == "value-32")
        #expect(headers["X-F59"] == "value-59")
    }

    @Test func fieldsThatCouldSplitAResponseAreMarkedInvalidWhenAdded() {
        var headers = HTTPHeaders()
        headers.add(name: "X-Good", value: "fine\tvalue \u{80}")
        headers.add(name: "X-Bad", value: "a\r\nSet-Cookie: x=1")
        headers.add(name: "Bad Name", value: "v")
        headers.add(name: "X-Delete", value: "a\u{7F}")
        var sent: [String] = []
        headers.forEachValidField { name, _ in sent.append(String(decoding: name, as: UTF8.self)) }
        #expect(sent == ["X-Good"])
        #expect(headers.count == 4)  // still readable, just never written
    }
}

/// The framing fields are read on the bytes; these pin the list and case rules.
@Suite struct FramingFieldTests {
    let harness = ParseHarness()

    /// The head alone, through the parser (the harness would wait for the body).
    private func framing(_ fields: String, version: String = "HTTP/1.1") throws -> RequestFraming {
        var parser = RequestHeadParser(limits: HTTPLimits())
        var used = 0
        var framing = RequestFraming()
        let request = try Array("POST / \(version)\r\nHost: x\r\n\(fields)\r\n".utf8).withUnsafeBufferPointer {
            try parser.parse($0, used: &used, framing: &framing)
        }
        _ = try #require(request)
        return framing
    }

    @Test func connectionOptionsAreAListIgnoringCase() throws {
        #expect(try !framing("Connection: keep-alive, CLOSE\r\n").keepAlive)
        #expect(try !framing("Connection: Upgrade,close\r\n").keepAlive)
        #expect(try framing("Connection: Upgrade\r\n").keepAlive)
        #expect(try framing("Connection: , Keep-Alive ,\r\n", version: "HTTP/1.0").keepAlive)
        #expect(try !framing("Connection: keep-alive-ish\r\n", version: "HTTP/1.0").keepAlive)
    }

    @Test func chunkedIsRecognisedIgnoringCaseAndSpaces() throws {
        #expect(try framing("Transfer-Encoding:  Chunked \r\n").body == .chunked)
    }

    @Test(arguments: [
        ("Transfer-Encoding: gzip\r\n", 501),
        ("Transfer-Encoding: chunked, gzip\r\n", 501),
        ("Transfer-Encoding: , gzip\r\n", 400),
        ("Transfer-Encoding: chunked,\r\n", 400),
        ("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400),
        ("Content-Length: 5 6\r\n", 400),
        ("Content-Length: 1234567890123456789\r\n", 400),
        ("Content-Length:\r\n", 400),
        ("Expect: 100-continue\r\nExpect: later\r\n", 417),
    ])
    func rejectsFramingFields(fields: String, status: Int) {
        #expect(harness.rejection("POST / HTTP/1.1\r\nHost: x\r\n\(fields)\r\n") == status)
    }

    @Test func contentLengthAcceptsLeadingZerosAndOptionalWhitespace() throws {
        #expect(try framing("Content-Length: \t007 \r\n").body == .length(7))
        #expect(try framing("Content-Length: 0\r\n").body == .none)
        #expect(try framing("Content-Length: 123456789012345678\r\n").body == .length(123_456_789_012_345_678))
    }

    @Test func expectContinueOnlyOnHTTP11() throws {
        #expect(try framing("Expect: 100-CONTINUE\r\nExpect: 100-continue\r\nContent-Length: 1\r\n").expectsContinue)
        #expect(try !framing("Expect: 100-continue\r\n", version: "HTTP/1.0").expectsContinue)
    }
}
