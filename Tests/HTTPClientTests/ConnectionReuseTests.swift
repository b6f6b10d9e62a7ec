import Foundation
@testable import HTTPClient
import Sockets
import SystemClock
import SystemCrypto
import Testing

/// Connection reuse against raw servers on loopback ports that count what they accepted: one
/// connection for a stream of requests, a fresh one where the last answer ends the
/// connection or the server closed it while idle, and never a second try once an answer began.
@Suite struct ConnectionReuseTests {
    /// A clock the test moves by hand, for idle ageing.
    final class HandClock: @unchecked Sendable {  // test-only; `lock` guards `time`
        private let lock = NSLock()
        private var time = MonotonicTime.now()
        var now: MonotonicTime { lock.withLock { time } }
        func advance(_ duration: Duration) { lock.withLock { time = time + duration } }
    }

    private func client(clock: HandClock = HandClock()) throws -> KeepAliveClient {
        KeepAliveClient(dialer: StreamDialer(proxies: ProxyEnvironment(), tls: try TLSClientContext(trust: .system)), now: { clock.now })
    }

    /// `count` POSTs one after another, each on a dedicated thread as the deliverer sends them.
    private func post(_ count: Int, with client: KeepAliveClient, to server: ScriptedHTTPServer, between: @escaping @Sendable () -> Void = {}) async throws -> [Int] {
        let url = try #require(RequestURL("http://127.0.0.1:\(server.port)/hook"))
        var statuses: [Int] = []
        for index in 0..<count {
            if index > 0 { between() }
            let request = OutboundRequest(method: "POST", url: url, headers: [("webhook-id", "msg_\(index)")], body: Array("{\"n\":\(index)}".utf8))
            statuses.append(try await DedicatedThread.run { try client.send(request, timeout: .seconds(30)) }.status)
        }
        return statuses
    }

    @Test func aStreamOfRequestsToOneOriginSharesOneConnection() async throws {
        let server = try ScriptedHTTPServer(.keepAlive)
        defer { server.stop() }
        let client = try client()
        #expect(try await post(5, with: client, to: server) == [204, 204, 204, 204, 204])
        #expect(server.requests == 5)
        #expect(server.connections == 1)
        #expect(client.keptConnections == 1)
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplacedAndTheRequestGoesOnce() async throws {
        let server = try ScriptedHTTPServer(.closeSilently)
        defer { server.stop() }
        let client = try client()
        #expect(try await post(3, with: client, to: server) == [204, 204, 204])
        // Each request after the first found its kept connection closed and went on a new one;
        // the server read each request once.
        #expect(server.requests == 3)
        #expect(server.connections == 3)
    }

    @Test(arguments: [ScriptedHTTPServer.Answer.connectionClose, .http10, .unframed])
    func anAnswerThatEndsItsConnectionIsNotKept(answer: ScriptedHTTPServer.Answer) async throws {
        let server = try ScriptedHTTPServer(answer)
        defer { server.stop() }
        let client = try client()
        _ = try await post(2, with: client, to: server)
        #expect(server.connections == 2)
        #expect(client.keptConnections == 0)
    }

    @Test func aConnectionIdleLongerThanTheLimitIsNotReused() async throws {
        let server = try ScriptedHTTPServer(.keepAlive)
        defer { server.stop() }
        let clock = HandClock()
        let client = try client(clock: clock)
        _ = try await post(2, with: client, to: server, between: { clock.advance(.milliseconds(3_900)) })
        #expect(server.connections == 1)
        _ = try await post(2, with: client, to: server, between: { clock.advance(.seconds(4)) })
        #expect(server.connections == 2)
        #expect(server.requests == 4)
    }

    @Test func aRequestWhoseAnswerBeganIsNotSentAgain() async throws {
        let server = try ScriptedHTTPServer(.breakSecondAnswer)
        defer { server.stop() }
        let client = try client()
        _ = try await post(1, with: client, to: server)
        await #expect(throws: HTTPClientError.self) { _ = try await post(1, with: client, to: server) }
        #expect(server.requests == 2)
        #expect(server.connections == 1)
    }

    @Test func aKeptConnectionWhoseAnswerTimesOutIsNotSentAgain() async throws {
        let server = try ScriptedHTTPServer(.stallSecondAnswer)
        defer { server.stop() }
        let client = try client()
        _ = try await post(1, with: client, to: server)
        let url = try #require(RequestURL("http://127.0.0.1:\(server.port)/hook"))
        await #expect(throws: HTTPClientError.self) {
            _ = try await DedicatedThread.run { try client.send(OutboundRequest(method: "POST", url: url), timeout: .milliseconds(300)) }
        }
        // The timeout spent the attempt's deadline: no second connection, no second try.
        #expect(server.requests == 2)
        #expect(server.connections == 1)
    }

    /// A stream that only counts its closing, for the store's caps.
    final class IdleStream: ByteStream, @unchecked Sendable {
        private(set) var closed = false
        func write(_ bytes: [UInt8], deadline: MonotonicTime) throws {}
        func read(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8] { [] }
        func close() { closed = true }
    }

    @Test func theStoreKeepsTheNewestUpToItsCapsAndClosesTheRest() throws {
        let clock = HandClock()
        let store = IdleConnections(idleLimit: .seconds(4), perOrigin: 2, total: 3, now: { clock.now })
        func parked(_ origin: HTTPOrigin) -> (HTTPClientConnection, IdleStream) {
            let stream = IdleStream()
            let opened = StreamDialer.Opened(stream: stream, proxy: nil, absoluteForm: false, peer: nil)
            return (HTTPClientConnection(opened: opened, secure: false, authority: origin.authority), stream)
        }
        let a = try #require(RequestURL("http://a.example/")).origin, b = try #require(RequestURL("http://b.example/")).origin
        let streams = (0..<3).map { _ in
            clock.advance(.milliseconds(10))
            let (connection, stream) = parked(a)
            store.put(connection, for: a)
            return stream
        }
        // Two per origin: the longest idle of a's three was closed.
        #expect(streams.map(\.closed) == [true, false, false])
        clock.advance(.milliseconds(10))
        let (toB, streamB) = parked(b)
        store.put(toB, for: b)
        clock.advance(.milliseconds(10))
        let (secondToB, _) = parked(b)
        store.put(secondToB, for: b)
        // Three in all: a's older one went.
        #expect(streams.map(\.closed) == [true, true, false])
        #expect(store.count == 3)
        #expect(store.take(b) === secondToB)
        clock.advance(.seconds(4))
        #expect(store.take(b) == nil)
        #expect(streamB.closed && streams[2].closed)
        #expect(store.count == 0)
    }
}
