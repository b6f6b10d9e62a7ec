import Foundation
import Sockets
import Testing
@testable import HTTPServer

/// Requests are parsed straight from the loop's read buffer, and only an incomplete tail is
/// copied into the connection's buffer; these cover the seams between reads.
@Suite(.serialized) struct LiveServerInputTests {
    private static let shared = HTTPResponse(
        status: .ok, headers: ["Content-Type": "text/plain"], body: Array("shared".utf8))

    /// Pieces are sent with pauses that a busy machine stretches; the testing limits' 200 ms
    /// for a head (or a body) would turn a slow test into a 408.
    private func start() throws -> LiveServer {
        var limits = HTTPLimits.testing
        limits.headerReadTimeout = .seconds(10)
        limits.bodyReadTimeout = .seconds(10)
        limits.idleTimeout = .seconds(10)
        return try LiveServer.start(limits: limits) { router in
            router.get("/header/{name}") { request, context in
                HTTPResponse.text(request.headers[context.parameters["name"] ?? ""] ?? "-")
            }
            router.get("/shared") { _, _ in Self.shared }
        }
    }

    /// Each piece goes out on its own (the client sets TCP_NODELAY) and the pause lets the
    /// server read it before the next arrives. On a thread of its own: `Task.sleep` resumes on a
    /// cooperative-pool thread, and while other suites hold both of them (two on this machine)
    /// the pauses stretched past the head timeout.
    private func send(_ pieces: [String], to client: TestClient) async throws {
        try await DedicatedThread.run {
            for piece in pieces {
                client.send(piece)
                Thread.sleep(forTimeInterval: 0.015)
            }
        }
    }

    @Test func answersARequestWhoseHeadArrivesInPieces() async throws {
        let live = try start()
        let client = try await live.client()
        try await send(["G", "ET /echo/7?q=", "x HTTP/1.1\r", "\nHo", "st: x\r\n", "\r", "\n"], to: client)
        #expect(try await client.readResponse().text == "7|x")
        await live.stop()
    }

    @Test func answersAPipelinedRequestSplitAfterACompleteOne() async throws {
        let live = try start()
        let client = try await live.client()
        try await send(["GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HT", "TP/1.1\r\nHost: x\r\n\r\n"], to: client)
        #expect(try await client.readResponse().text == "1|")
        #expect(try await client.readResponse().text == "2|")
        await live.stop()
    }

    @Test func readsABodyThatArrivesInPiecesAfterItsHead() async throws {
        let live = try start()
        let client = try await live.client()
        try await send(["POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", "defg", "hij"], to: client)
        #expect(try await client.readResponse().text == "got 10")
        await live.stop()
    }

    @Test func answersABurstOfPipelinedRequestsInOrder() async throws {
        let live = try start()
        let client = try await live.client()
        client.send((0..<60).map { "GET /echo/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        for index in 0..<60 {
            #expect(try await client.readResponse().text == "\(index)|")
        }
        await live.stop()
    }

    @Test func findsAFieldAmongMoreThanTheParserKeepsOnItsStack() async throws {
        let live = try start()
        let client = try await live.client()
        let fields = (0..<60).map { "X-F\($0): value-\($0)\r\n" }.joined()
        client.send("GET /header/x-f57 HTTP/1.1\r\nHost: x\r\n\(fields)\r\n")
        #expect(try await client.readResponse().text == "value-57")
        await live.stop()
    }

    @Test func aSharedResponseGetsOneFreshRequestIDEachTime() async throws {
        let live = try start()
        let client = try await live.client()
        client.send("GET /shared HTTP/1.1\r\nHost: x\r\n\r\nGET /shared HTTP/1.1\r\nHost: x\r\nX-Request-Id: mine\r\n\r\n"
            + "GET /shared HTTP/1.1\r\nHost: x\r\n\r\n")
        var ids: [String] = []
        for _ in 0..<3 {
            let response = try await client.readResponse()
            #expect(response.text == "shared")
            let values = response.headers.filter { $0.0.lowercased() == "x-request-id" }.map(\.1)
            #expect(values.count == 1)
            ids += values
        }
        #expect(ids[1] == "mine")
        #expect(ids[0].count == 32 && ids[2].count == 32 && ids[0] != ids[2])
        #expect(Self.shared.headers.count == 1)
        await live.stop()
    }

    @Test func dropsAClientRequestIDThatIsNotPrintable() async throws {
        let live = try start()
        let client = try await live.client()
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: has space\r\n\r\n")
        let id = try #require(try await client.readResponse().header("X-Request-Id"))
        #expect(id.count == 32 && id != "has space")
        await live.stop()
    }
}
