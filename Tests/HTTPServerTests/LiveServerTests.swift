import Foundation
import Testing
@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads block dedicated threads (the `async` calls of `TestClient`), never the cooperative
/// pool that runs the server's async handlers. Serialized: one live server at a time.
@Suite(.serialized) struct LiveServerTests {
    @Test func servesKeepAliveRequestsOnOneConnection() async throws {
        let live = try LiveServer.start()
        let client = try await live.client()
        for index in 0..<3 {
            client.send("GET /echo/\(index)?q=a%20b HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "\(index)|a b")
            #expect(response.header("Connection") == nil)
            #expect(response.header("X-Request-Id")?.count == 32)
            // RFC 9110 §6.6.1: the time of the answer, as an IMF-fixdate.
            let date = try #require(imfFixdate(response.header("Date")))
            #expect(abs(date.timeIntervalSinceNow) < 60)
        }
        await live.stop()
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        // Order, not timeouts: the testing limits' 200-300 ms closed this connection once in a
        // full run, where a loop thread can wait that long for a core.
        var limits = HTTPLimits.testing
        limits.headerReadTimeout = .seconds(10)
        limits.idleTimeout = .seconds(10)
        let live = try LiveServer.start(limits: limits)
        let client = try await live.client()
        client.send("GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /echo/4 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await client.readResponse().text == "1|")
        #expect(try await client.readResponse().text == "slow done")
        #expect(try await client.readResponse().text == "got 3")
        #expect(try await client.readResponse().text == "4|")
        await live.stop()
    }

    @Test func readsChunkedBodyAndAnswers100Continue() async throws {
        let live = try LiveServer.start()
        let client = try await live.client()
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(try await client.readResponse().status == 100)
        client.send("4;ext=1\r\nabcd\r\n2\r\nef\r\n0\r\nTrailer: t\r\n\r\n")
        #expect(try await client.readResponse().text == "got 6")
        await live.stop()
    }

    @Test func keepsContentLengthButSendsNoBodyForHead() async throws {
        let live = try LiveServer.start()
        let client = try await live.client()
        client.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try await client.readResponse(head: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "15")
        // The next response starts right after the head: no body bytes were sent.
        #expect(try await client.readResponse().text == "2|")
        await live.stop()
    }

    @Test func closesAfterConnectionCloseAndForHTTP10() async throws {
        let live = try LiveServer.start()
        let client = try await live.client()
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(try await client.readResponse().header("Connection") == "close")
        #expect(await client.isClosedByPeer())
        let old = try await live.client()
        old.send("GET /healthz HTTP/1.0\r\n\r\n")
        #expect(try await old.readResponse().header("Connection") == "close")
        #expect(await old.isClosedByPeer())
        let kept = try await live.client()
        kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try await kept.readResponse().header("Connection") == "keep-alive")
        await live.stop()
    }

    @Test func answers405WithAllowAnd404WithProblemJSON() async throws {
        let live = try LiveServer.start()
        let client = try await live.client()
        client.send("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let notAllowed = try await client.readResponse()
        #expect(notAllowed.status == 405)
        #expect(notAllowed.header("Allow") == "GET, HEAD")
        client.send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
        let missing = try await client.readResponse()
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type") == "application/problem+json")
        #expect(missing.text.contains(#""status":404"#))
        #expect(missing.text.contains(#""instance":"/missing""#))
        await live.stop()
    }

    @Test(arguments: [
        ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n", 431),
        ("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "c", count: 5000), 413),
        ("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", 413),
        ("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505),
        ("GET /healthz HTTP/1.1\r\nHost: exa mple.com\r\n\r\n", 400),
    ])
    func rejectsOverLimitOrMalformedRequestAndCloses(request: String, status: Int) async throws {
        let refusals = RefusalLog()
        let live = try LiveServer.start(onRefusal: refusals.record)
        let client = try await live.client()
        client.send(request)
        let response = try await client.readResponse()
        #expect(response.status == status)
        #expect(refusals.all == [.answered(HTTPStatus(status))], "told once, with the status it answered")
        #expect(response.header("Connection") == "close")
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(await client.isClosedByPeer())
        await live.stop()
    }

    @Test func routeBodyLimitRaisesTheDefault() async throws {
        let live = try LiveServer.start()
        let client = try await live.client()
        client.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + String(repeating: "d", count: 3000))
        #expect(try await client.readResponse().text == "got 3000")
        await live.stop()
    }

    @Test func sends408WhenHeadIsTooSlow() async throws {
        let live = try LiveServer.start(limits: .shortTimeouts)
        let client = try await live.client()
        client.send("GET /healthz HTTP/1.1\r\nHost:")
        let response = try await client.readResponse()
        #expect(response.status == 408)
        #expect(await client.isClosedByPeer())
        await live.stop()
    }

    @Test func sends408WhenBodyIsTooSlow() async throws {
        let live = try LiveServer.start(limits: .shortTimeouts)
        let client = try await live.client()
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        #expect(try await client.readResponse().status == 408)
        await live.stop()
    }

    @Test func closesIdleKeepAliveConnection() async throws {
        let live = try LiveServer.start(limits: .shortTimeouts)
        let client = try await live.client()
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await client.readResponse().status == 200)
        let start = ContinuousClock.now
        #expect(await client.isClosedByPeer())
        // 300 ms configured; the bound leaves room for a loaded machine, yet fails a server that
        // waits for the default idle timeout or never closes (the read then times out at 10 s).
        #expect(ContinuousClock.now - start < .seconds(5))
        await live.stop()
    }

    @Test func closesAfterMaxRequestsPerConnection() async throws {
        var limits = HTTPLimits.testing
        limits.maxRequestsPerConnection = 2
        let live = try LiveServer.start(limits: limits)
        let client = try await live.client()
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await client.readResponse().header("Connection") == nil)
        #expect(try await client.readResponse().header("Connection") == "close")
        #expect(await client.isClosedByPeer())
        await live.stop()
    }

    @Test func drainsGracefullyOnShutdown() async throws {
        var limits = HTTPLimits.testing
        limits.idleTimeout = .seconds(30)
        let live = try LiveServer.start(limits: limits)
        let idle = try await live.client()
        idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await idle.readResponse().status == 200)
        let busy = try await live.client()
        busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(50))

        let shutdown = Task { await live.server.shutdown(deadline: .seconds(2)) }
        let response = try await busy.readResponse()
        #expect(response.text == "slow done")
        #expect(response.header("Connection") == "close")
        #expect(await busy.isClosedByPeer())
        #expect(await idle.isClosedByPeer())
        await shutdown.value
        #expect(throws: TestClient.Failure.self) { try TestClient(port: live.port) }
        #expect(live.server.connectionCount == 0)
    }

    @Test func runsOnThePollFallback() async throws {
        var router = Router()
        router.get("/healthz") { _, _ in HTTPResponse.text("ok") }
        let server = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, eventLoops: 1, limits: .testing, pollerBackend: .poll),
            responder: router.buildResponder(), logger: .init(label: "test"))
        let client = try await TestClient.connected(port: try server.start())
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await client.readResponse().text == "ok")
        #expect(try await client.readResponse().text == "ok")
        await server.shutdown(deadline: .seconds(1))
    }
}

/// The refusals a server told of, in order.
final class RefusalLog: @unchecked Sendable {  // `refusals` behind `lock`
    private let lock = NSLock()
    private var refusals: [ServerRefusal] = []

    var all: [ServerRefusal] { lock.withLock { refusals } }

    @Sendable func record(_ refusal: ServerRefusal) {
        lock.withLock { refusals.append(refusal) }
    }
}
