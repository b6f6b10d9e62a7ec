import Foundation
import Synchronization
import Sockets
import Testing
@testable import HTTPServer

/// A route's admission check sees the head of a large (or chunked) request before its body is
/// read: a refusal is answered at once and the body is never buffered; an acceptance lets the
/// body be read as usual. Small bodies are read without asking.
///
/// The check runs as a Task, so the blocking `TestClient` talks on a thread of its own: blocking
/// a cooperative-pool thread (two on this machine) would starve the check, and other suites.
/// Other suites may still hold both pool threads for a while, hence the long read timeout.
@Suite(.serialized) struct AdmissionCheckTests {
    private func exchange<T: Sendable>(port: Int, _ work: @escaping @Sendable (TestClient) throws -> T) async throws -> T {
        try await DedicatedThread.run { try work(try TestClient(port: port, timeoutSeconds: 15)) }
    }

    /// How often the check ran.
    private final class Calls: Sendable {
        let count = Atomic(0)
    }

    private func start(_ calls: Calls) throws -> LiveServer {
        var limits = HTTPLimits.testing
        limits.headerReadTimeout = .seconds(10)
        // Long enough that only an admission refusal, never a 408, can answer a head alone in time.
        limits.bodyReadTimeout = .seconds(30)
        limits.idleTimeout = .seconds(10)
        limits.maxBodySizeWithoutAdmission = 1000
        return try LiveServer.start(limits: limits) { router in
            router.on(.post, "/gated", bodyLimit: 1 << 20, admission: { request, _ in
                calls.count.add(1, ordering: .relaxed)
                guard request.headers["authorization"] == "Bearer good" else {
                    throw HTTPError(status: .unauthorized, detail: "a valid token is required", headers: ["WWW-Authenticate": "Bearer"])
                }
            }, handler: { request, _ async throws -> HTTPResponse in
                HTTPResponse.text("got \(request.body.count)")
            })
        }
    }

    @Test func refusesALargeBodyFromItsHeadAloneAndCloses() async throws {
        let calls = Calls()
        let live = try start(calls)
        // Only the head is sent: the answer must not wait for the 500 KB announced.
        let (response, closed) = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bad\r\nContent-Length: 500000\r\n\r\n")
            return (try client.readResponse(), client.isClosedByPeer())
        }
        #expect(response.status == 401)
        #expect(response.header("www-authenticate") == "Bearer")
        #expect(response.header("connection") == "close")
        #expect(response.header("content-type") == "application/problem+json")
        #expect(response.text.contains("a valid token is required"))
        #expect(closed)
        #expect(calls.count.load(ordering: .relaxed) == 1)
        await live.stop()
    }

    @Test func readsALargeBodyOnceAdmittedAndKeepsTheConnection() async throws {
        let calls = Calls()
        let live = try start(calls)
        let body = String(repeating: "x", count: 200_000)
        let (first, second) = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let first = try client.readResponse().text
            client.send("GET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n")
            return (first, try client.readResponse().text)
        }
        #expect(first == "got 200000")
        #expect(second == "2|")
        #expect(calls.count.load(ordering: .relaxed) == 1)
        await live.stop()
    }

    @Test func sendsContinueOnlyAfterTheCheckAccepted() async throws {
        let calls = Calls()
        let live = try start(calls)
        let refused = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
            return try client.readResponse().status
        }
        #expect(refused == 401)
        let (interim, final) = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
            let interim = try client.readResponse(head: true).status
            client.send(String(repeating: "y", count: 5000))
            return (interim, try client.readResponse().text)
        }
        #expect(interim == 100)
        #expect(final == "got 5000")
        await live.stop()
    }

    @Test func asksAboutEveryChunkedBody() async throws {
        let calls = Calls()
        let live = try start(calls)
        let refused = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            return try client.readResponse().status
        }
        #expect(refused == 401)
        let admitted = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            return try client.readResponse().text
        }
        #expect(admitted == "got 5")
        #expect(calls.count.load(ordering: .relaxed) == 2)
        await live.stop()
    }

    @Test func readsASmallBodyWithoutAsking() async throws {
        let calls = Calls()
        let live = try start(calls)
        let text = try await exchange(port: live.port) { client in
            client.send("POST /gated HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            return try client.readResponse().text
        }
        #expect(text == "got 3")
        #expect(calls.count.load(ordering: .relaxed) == 0)
        await live.stop()
    }
}
