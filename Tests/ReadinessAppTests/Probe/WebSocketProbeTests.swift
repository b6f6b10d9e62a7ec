import SystemCrypto
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

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

    // One live service per test, not per case: each costs a database, and `make test` runs
    // them all at once on a shared machine.
    @Test func aValidHandshakeGets101TheAcceptValueAndACloseFrame() async throws {
        try await LiveService.with { live in
            let port = live.client.baseURL.port ?? 0
            let reply = try await RawHTTPExchange.send(Self.handshake(), port: port)
            #expect(reply.head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
            #expect(reply.header("Upgrade") == "websocket")
            #expect(reply.header("Connection") == "Upgrade")
            // RFC 6455 §1.3's worked example.
            #expect(reply.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            // RFC 9110 §8.6: no Content-Length on a 1xx.
            #expect(reply.header("Content-Length") == nil)
            // RFC 9110 §6.6.1: the 101 is dated like any answer (IMF-fixdate, in GMT).
            #expect(reply.header("Date")?.hasSuffix(" GMT") == true)
            // A Close frame with status 1000, and then the server closed (the read saw EOF).
            #expect(reply.rest == [0x88, 0x02, 0x03, 0xE8])

            // Token lists and any case (RFC 6455 §4.2.1 items 3 and 4).
            let listed = try await RawHTTPExchange.send(
                Self.handshake(key: "AQIDBAUGBwgJCgsMDQ4PEA==", upgrade: "WebSocket", connection: "keep-alive, Upgrade"), port: port)
            #expect(listed.statusCode == 101)
            #expect(listed.header("Sec-WebSocket-Accept") == WebSocketAccept.value(forKey: "AQIDBAUGBwgJCgsMDQ4PEA=="))

            // Bytes after the upgrade request belong to the new protocol: never answered as HTTP.
            let pipelined = try await RawHTTPExchange.send(Self.handshake(extra: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), port: port)
            #expect(pipelined.statusCode == 101)
            #expect(pipelined.rest == WebSocketHandshake.closeFrame)

            // Other methods: 405 from the router.
            let post = try await live.client.send("POST", "/v1/probe/websocket", body: nil)
            #expect(post.status == 405)
            #expect(post.header("Allow")?.contains("GET") == true)
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

    @Test func anInvalidHandshakeIsRefusedWithAProblemNamingTheFault() async throws {
        try await LiveService.with { live in
            for fault in Self.faults {
                let request = fault.request.replacingOccurrences(of: "Host: 127.0.0.1\r\n", with: "Host: 127.0.0.1\r\nConnection: close\r\n")
                let reply = try await RawHTTPExchange.send(request, port: live.client.baseURL.port ?? 0)
                #expect(reply.statusCode == fault.status, "\(fault.name)")
                #expect(reply.header("Content-Type") == "application/problem+json", "\(fault.name)")
                if fault.status == 426 {
                    #expect(reply.header("Sec-WebSocket-Version") == "13", "\(fault.name)")
                }
                guard fault.name != "HEAD" else { continue }  // HEAD: the head only
                let problem = try reply.problem()
                let detail = problem.detail ?? ""
                #expect(detail.contains(fault.detailMentions), "\(fault.name): \(detail)")
                #expect(problem.status == fault.status, "\(fault.name)")
            }
        }
    }
}
