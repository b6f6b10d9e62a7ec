import Foundation
import Testing
@testable import HTTPServer

/// At `maxConnections`, idle keep-alive connections make room for new ones, longest idle first
/// (as nginx does when it runs out of connections); only when none is idle is the newcomer
/// closed. Issue 14: with 10,000 idle keep-alive connections open, a health check was reset.
@Suite struct ConnectionCapTests {
    static let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"

    static func limits(maxConnections: Int) -> HTTPLimits {
        var limits = HTTPLimits.testing
        limits.maxConnections = maxConnections
        // Long enough that no connection of the test times out on its own meanwhile.
        limits.idleTimeout = .seconds(30)
        limits.headerReadTimeout = .seconds(30)
        return limits
    }

    @Test func aHealthCheckIsAdmittedWhenIdleKeepAliveConnectionsFillTheCap() async throws {
        let cap = 12
        let refusals = RefusalLog()
        let live = try LiveServer.start(limits: Self.limits(maxConnections: cap), loops: 1, onRefusal: refusals.record)
        var idle: [TestClient] = []
        for _ in 0..<cap {
            let client = try await live.client()
            client.send(Self.request)
            #expect(try await client.readResponse().status == 200)
            idle.append(client)
            // Each goes idle at a distinct loop time, so "longest idle" has one answer.
            try await Task.sleep(for: .milliseconds(5))
        }

        let health = try await live.client()
        health.send(Self.request)
        #expect(try await health.readResponse().status == 200, "the newcomer is served, not reset")

        let closed = LoopState.idleConnectionsClosedPerScan
        #expect(refusals.all == Array(repeating: .idleConnectionClosed, count: closed))
        // The longest idle went; the most recently used is still open and serves.
        #expect(await idle[0].isClosedByPeer())
        let newest = try #require(idle.last)
        newest.send(Self.request)
        #expect(try await newest.readResponse().status == 200)
        await live.stop()
    }

    @Test func closesANewcomerWhenNoConnectionIsIdle() async throws {
        let refusals = RefusalLog()
        let live = try LiveServer.start(limits: Self.limits(maxConnections: 2), loops: 1, onRefusal: refusals.record)
        // Both mid-request (a head begun, not finished): closing either would lose a request.
        let first = try await live.client()
        let second = try await live.client()
        first.send("GET /healthz HTTP/1.1\r\n")
        second.send("GET /healthz HTTP/1.1\r\n")
        try await Task.sleep(for: .milliseconds(50))
        let third = try await live.client()
        #expect(await third.isClosedByPeer())
        #expect(refusals.all == [.connectionClosed])
        first.send("Host: x\r\n\r\n")
        #expect(try await first.readResponse().status == 200)
        await live.stop()
    }
}
