import Testing
@testable import ReadinessApp

/// `GET /v1/probe/websocket`: the RFC 6455 §4.2 opening handshake, then a Close frame.
@Suite struct WebSocketProbeTests {
    static func handshake(
        key: String? = "dGhlIHNhbXBsZSBub25jZQ==", version: String? = "13", upgrade: String? = "websocket",
        connection: String? = "Upgrade", method: String = "GET", httpVersion: String = "HTTP/1.1", extra: String = ""
    ) -> String {
        var request = "\(method) /v1/probe/websocket \(httpVersion)\r\nHost: 127.0.0.1\r\n"
        if let upgrade { request += "Upgrade: \(upgrade)\r\n" }
        if let connection { request += "Connection: \(connection)\r\n" }
        if let key { request += "Sec-WebSocket-Key: \(key)\r\n" }
        if let version { request += "Sec-WebSocket-Version: \(version)\r\n" }
        return request + "\r\n" + extra
    }

    @Test func theRFC6455ExampleKeyGetsItsAcceptValueThenACloseFrame() async throws {
        try await LiveService.with { live in
            let reply = try await RawHTTPExchange.send(Self.handshake(), port: live.client.baseURL.port ?? 0)
            #expect(reply.head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
            #expect(reply.header("Upgrade") == "websocket")
            #expect(reply.header("Connection") == "Upgrade")
            // RFC 6455 §1.3's worked example.
            #expect(reply.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            // RFC 9110 §8.6: no Content-Length on a 1xx.
            #expect(reply.header("Content-Length") == nil)
            #expect(reply.header("Date") != nil)
            // A Close frame with status 1000, and then the server closed (the read saw EOF).
            #expect(reply.rest == [0x88, 0x02, 0x03, 0xE8])
        }
    }

    @Test func acceptsTokenListsAndAnyCase() async throws {
        try await LiveService.with { live in
            let request = Self.handshake(key: "AQIDBAUGBwgJCgsMDQ4PEA==", upgrade: "WebSocket", connection: "keep-alive, Upgrade")
            let reply = try await RawHTTPExchange.send(request, port: live.client.baseURL.port ?? 0)
            #expect(reply.statusCode == 101)
            #expect(reply.header("Sec-WebSocket-Accept") == WebSocketHandshake.accept(key: "AQIDBAUGBwgJCgsMDQ4PEA=="))
        }
    }

    @Test func bytesAfterTheUpgradeAreNeverReadAsHTTP() async throws {
        try await LiveService.with { live in
            let request = Self.handshake(extra: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let reply = try await RawHTTPExchange.send(request, port: live.client.baseURL.port ?? 0)
            #expect(reply.statusCode == 101)
            #expect(reply.rest == WebSocketHandshake.closeFrame)
        }
    }

    struct Fault: CustomTestStringConvertible, Sendable {
        var name: String
        var request: String
        var status: Int
        var detailMentions: String
        var testDescription: String { name }
    }

    static let faults: [Fault] = [
        Fault(name: "no Upgrade", request: handshake(upgrade: nil), status: 400, detailMentions: "Upgrade"),
        Fault(name: "Upgrade to h2c", request: handshake(upgrade: "h2c"), status: 400, detailMentions: "Upgrade"),
        Fault(name: "Connection without upgrade", request: handshake(connection: "keep-alive"), status: 400, detailMentions: "Connection"),
        Fault(name: "no Connection", request: handshake(connection: nil), status: 400, detailMentions: "Connection"),
        Fault(name: "no key", request: handshake(key: nil), status: 400, detailMentions: "Sec-WebSocket-Key"),
        Fault(name: "key of 15 bytes", request: handshake(key: "AQIDBAUGBwgJCgsMDQ4P"), status: 400, detailMentions: "Sec-WebSocket-Key"),
        Fault(name: "key not base64", request: handshake(key: "not base64 at all!!!!!!!"), status: 400, detailMentions: "Sec-WebSocket-Key"),
        Fault(name: "HTTP/1.0", request: handshake(httpVersion: "HTTP/1.0"), status: 400, detailMentions: "HTTP/1.1 GET"),
        Fault(name: "HEAD", request: handshake(method: "HEAD"), status: 400, detailMentions: "HTTP/1.1 GET"),
        Fault(name: "version 8", request: handshake(version: "8"), status: 426, detailMentions: "Sec-WebSocket-Version"),
        Fault(name: "no version", request: handshake(version: nil), status: 426, detailMentions: "Sec-WebSocket-Version"),
    ]

    @Test(arguments: faults)
    func refusesAnInvalidHandshakeWithAProblem(_ fault: Fault) async throws {
        try await LiveService.with { live in
            let request = fault.request.replacingOccurrences(of: "Host: 127.0.0.1\r\n", with: "Host: 127.0.0.1\r\nConnection: close\r\n")
            let reply = try await RawHTTPExchange.send(request, port: live.client.baseURL.port ?? 0)
            #expect(reply.statusCode == fault.status)
            #expect(reply.header("Content-Type") == "application/problem+json")
            if fault.status == 426 {
                #expect(reply.header("Sec-WebSocket-Version") == "13")
            }
            guard fault.name != "HEAD" else { return }  // HEAD: the head only
            let detail = reply.json?["detail"] as? String ?? ""
            #expect(detail.contains(fault.detailMentions), "\(detail)")
            #expect(reply.json?["status"] as? Int == fault.status)
        }
    }

    @Test func otherMethodsAre405() async throws {
        try await LiveService.with { live in
            let response = try await live.client.send("POST", "/v1/probe/websocket", body: nil)
            #expect(response.status == 405)
            #expect(response.header("Allow")?.contains("GET") == true)
        }
    }
}
