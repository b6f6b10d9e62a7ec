import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// `GET /v1/probe/download` and `POST /v1/probe/upload` through the real server.
@Suite struct BandwidthProbeTests {
    static func agentToken(_ live: LiveService) async throws -> String {
        try await live.fixtures.agent(site: try await live.fixtures.site()).token
    }

    @Test func downloadSendsExactlyTheBytesAskedForIncompressibleAndUncached() async throws {
        try await LiveService.with { live in
            let token = try await Self.agentToken(live)
            let response = try await live.client.get("/v1/probe/download?bytes=1000000", token: token)
            #expect(response.status == 200)
            #expect(response.body.count == 1_000_000)
            #expect(response.header("Content-Length") == "1000000")
            #expect(response.header("Content-Type") == "application/octet-stream")
            #expect(response.header("Cache-Control")?.contains("no-store") == true)
            // Random bytes: deflate cannot shrink them.
            #expect(try Gzip.compress(response.body).count >= response.body.count)
        }
    }

    /// The bounds without moving 64 MiB through a debug build on a shared machine: HEAD gets the
    /// same head as GET (RFC 9110 §9.3.2), so Content-Length shows what GET would send.
    @Test func downloadServesTheBoundsAndTheDefault() async throws {
        try await LiveService.with { live in
            let token = try await Self.agentToken(live)
            let port = live.client.baseURL.port ?? 0
            #expect(try await live.client.get("/v1/probe/download?bytes=1", token: token).body.count == 1)
            for (query, length) in [("?bytes=67108864", "67108864"), ("", "10485760")] {
                let head = try await RawHTTPExchange.send(
                    "HEAD /v1/probe/download\(query) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n",
                    port: port)
                #expect(head.statusCode == 200, "\(query)")
                // Without `bytes`: the plan's download size.
                #expect(head.header("Content-Length") == length, "\(query)")
                #expect(head.rest.isEmpty)
            }
        }
    }

    @Test func downloadRefusesBytesOutsideTheRange() async throws {
        try await LiveService.with { live in
            let token = try await Self.agentToken(live)
            for bytes in ["0", "67108865", "-1", "abc", "1e3", "+5", "", "99999999999999999999"] {
                let response = try await live.client.get("/v1/probe/download?bytes=\(bytes)", token: token)
                #expect(response.status == 400, "bytes=\(bytes)")
                #expect(response.header("Content-Type") == "application/problem+json", "bytes=\(bytes)")
                #expect(try response.decoded(ProblemBody.self).pointers.first == "/query/bytes", "bytes=\(bytes)")
            }
        }
    }

    @Test func downloadAndUploadNeedAnAgentOrAdminToken() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let admin = try await live.fixtures.token(.admin)
            let agent = try await Self.agentToken(live)
            let body = Data(repeating: 1, count: 10)

            let anonymous = try await live.client.get("/v1/probe/download?bytes=10")
            #expect(anonymous.status == 401)
            #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try await live.client.get("/v1/probe/download?bytes=10", token: "rdy_" + String(repeating: "x", count: 43)).status == 401)
            #expect(try await live.client.get("/v1/probe/download?bytes=10", token: read).status == 403)
            #expect(try await live.client.get("/v1/probe/download?bytes=10", token: admin).status == 200)
            #expect(try await live.client.get("/v1/probe/download?bytes=10", token: agent).status == 200)

            let octets = ["Content-Type": "application/octet-stream"]
            #expect(try await live.client.send("POST", "/v1/probe/upload", headers: octets, body: body).status == 401)
            let forbidden = try await live.client.send("POST", "/v1/probe/upload", token: read, headers: octets, body: body)
            #expect(forbidden.status == 403)
            #expect(try forbidden.decoded(ProblemBody.self).type == ProblemTypes.forbidden.uri)
            #expect(try await live.client.send("POST", "/v1/probe/upload", token: admin, headers: octets, body: body).status == 200)
            #expect(try await live.client.send("POST", "/v1/probe/upload", token: agent, headers: octets, body: body).status == 200)
        }
    }

    @Test func uploadAnswersHowManyBytesArrivedAndStopsAt64MiB() async throws {
        try await LiveService.with { live in
            let token = try await Self.agentToken(live)
            for count in [0, 1, 1 << 20] {
                let response = try await live.client.send(
                    "POST", "/v1/probe/upload", token: token, headers: ["Content-Type": "application/octet-stream"],
                    body: Data(repeating: 0xA5, count: count))
                #expect(response.status == 200, "\(count) bytes")
                #expect(try response.decoded(ProbeUploadAnswer.self).bytes == count)
                #expect(response.header("Content-Type") == "application/json")
            }
            // Exactly 64 MiB is accepted: asked with Expect: 100-continue, the server says go on
            // (RFC 9110 §10.1.1) where one byte more is refused, without a byte of body sent.
            let port = live.client.baseURL.port ?? 0
            let largest = try await RawHTTPExchange.send(
                "POST /v1/probe/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: \(64 << 20)\r\n\r\n",
                port: port, headOnly: true)
            #expect(largest.statusCode == 100)

            // Over 64 MiB: refused on the head alone, before any body byte is read.
            let request = "POST /v1/probe/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: \(64 << 20 + 1)\r\n\r\n"
            let reply = try await RawHTTPExchange.send(request, port: port)
            #expect(reply.statusCode == 413)
            #expect(reply.header("Content-Type") == "application/problem+json")
            #expect(try reply.problem().status == 413)
        }
    }

    @Test func theDownloadPayloadIsSharedNotReallocated() throws {
        let payload = DownloadPayload()
        let first = try payload.bytes(count: 4096)
        let second = try payload.bytes(count: 4096)
        #expect(first == second)
        #expect(first.withUnsafeBufferPointer { $0.baseAddress } == second.withUnsafeBufferPointer { $0.baseAddress })
        // A smaller size is a prefix of the same random bytes, and is shared while it repeats.
        let small = try payload.bytes(count: 100)
        #expect(small == Array(first.prefix(100)))
        #expect(small.withUnsafeBufferPointer { $0.baseAddress } == (try payload.bytes(count: 100)).withUnsafeBufferPointer { $0.baseAddress })
        // A larger size grows the buffer.
        #expect(try payload.bytes(count: 8192).count == 8192)
        #expect(Set(first).count > 200, "random bytes use most byte values")
    }
}
