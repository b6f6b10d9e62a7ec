import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The two routes that take large bodies check the token on the head alone: a client without a
/// valid token cannot make the server buffer megabytes before it is refused. Each request
/// below announces a large body and sends none of it; only a refusal from the head can answer
/// with 401/403 (waiting for the body would end in a 408 after the server's body timeout).
@Suite struct UploadAdmissionTests {
    @Test func largeUploadsAreRefusedBeforeTheirBodyIsRead() async throws {
        try await LiveService.with { live in
            let port = live.client.baseURL.port ?? 0
            let read = try await live.fixtures.token(.read)
            let cases: [(path: String, length: Int, authorization: String?, status: Int)] = [
                ("/v1/results", 8 << 20, nil, 401),
                ("/v1/results", 8 << 20, "Bearer rdy_" + String(repeating: "x", count: 43), 401),
                ("/v1/results", 8 << 20, "Bearer \(read)", 403),
                ("/v1/probe/upload", 32 << 20, nil, 401),
                ("/v1/probe/upload", 32 << 20, "Bearer \(read)", 403),
            ]
            for (path, length, authorization, status) in cases {
                let reply = try await RawHTTPExchange.send(
                    "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(authorization.map { "Authorization: \($0)\r\n" } ?? "")"
                        + "Content-Type: application/json\r\nContent-Length: \(length)\r\n\r\n",
                    port: port, timeout: 15)
                #expect(reply.statusCode == status, "\(path) \(authorization ?? "no token")")
                #expect(reply.header("Connection") == "close", "\(path)")
                #expect(reply.header("Content-Type") == "application/problem+json", "\(path)")
                if status == 401 { #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true, "\(path)") }
            }
        }
    }

    @Test func anAdmittedLargeUploadIsReadAndAnswered() async throws {
        try await LiveService.with { live in
            let agent = try await live.fixtures.agent(site: try await live.fixtures.site()).token
            let body = Data(repeating: 0x5A, count: 300_000)
            let probe = try await live.client.send(
                "POST", "/v1/probe/upload", token: agent, headers: ["Content-Type": "application/octet-stream"], body: body)
            #expect(probe.status == 200)
            #expect(try probe.decoded(ProbeUploadAnswer.self).bytes == 300_000)
            // Past the admission check, a large result that is not JSON is judged as before.
            let results = try await live.client.send(
                "POST", "/v1/results", token: agent, headers: ["Content-Type": "application/json"], body: body)
            #expect(results.status == 400)
        }
    }
}
