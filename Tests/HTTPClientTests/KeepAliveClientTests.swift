import Foundation
import HTTPClient
import HTTPServer
import Sockets
import SystemClock
import SystemCrypto
import Testing

/// The outbound client against a real server on a loopback port (HTTP), and against
/// `openssl s_server` for TLS verification. The client blocks on its sockets, so each call runs
/// on a dedicated thread: on one of the cooperative pool's two threads it would starve the
/// server's async handlers (and other suites) when the suite runs in parallel.
@Suite(.serialized) struct KeepAliveClientTests {
    private func client(filter: (@Sendable (SocketAddress) -> Bool)? = nil, trust: TLSTrust = .system) throws -> KeepAliveClient {
        KeepAliveClient(dialer: StreamDialer(proxies: ProxyEnvironment(), tls: try TLSClientContext(trust: trust), addressFilter: filter))
    }

    @Test func postsTheBodyWithItsHeadersAndReadsTheAnswer() async throws {
        let server = try LoopbackServer.start { router in
            router.post("/hook") { request, _ in
                HTTPResponse(
                    status: 202, headers: ["X-Seen": request.headers["webhook-id"] ?? "-"],
                    body: Array("\(request.target) \(request.body.count)".utf8))
            }
        }
        defer { Task { await server.stop() } }
        let url = try #require(RequestURL("http://127.0.0.1:\(server.port)/hook?token=abc"))
        let request = OutboundRequest(method: "POST", url: url, headers: [("webhook-id", "msg_1"), ("Content-Type", "application/json")], body: Array("{\"a\":1}".utf8))
        let response = try await DedicatedThread.run { try self.client().send(request, timeout: .seconds(30)) }
        #expect(response.status == 202)
        #expect(response.header("x-seen") == "msg_1")
        #expect(response.text == "/hook?token=abc 7")
    }

    @Test func theTotalTimeoutCoversAServerThatNeverAnswers() async throws {
        let server = try LoopbackServer.start { router in
            router.post("/slow") { _, _ async throws -> HTTPResponse in
                // Far longer than the bound below: a client without a total timeout fails the test.
                try await Task.sleep(for: .seconds(60))
                return HTTPResponse(status: .ok)
            }
        }
        defer { Task { await server.stop() } }
        let url = try #require(RequestURL("http://127.0.0.1:\(server.port)/slow"))
        let started = MonotonicTime.now()
        await #expect(throws: HTTPClientError.self) {
            _ = try await DedicatedThread.run { try self.client().send(OutboundRequest(method: "POST", url: url), timeout: .milliseconds(300)) }
        }
        // Generous for a loaded machine, yet far below the server's 60 s.
        #expect(MonotonicTime.now().duration(since: started) < .seconds(20))
    }

    @Test func anAddressTheFilterRefusesIsNeverConnected() async throws {
        let url = try #require(RequestURL("http://127.0.0.1:9/"))
        let refusing = try client(filter: { $0.ip != "127.0.0.1" })
        #expect {
            _ = try refusing.send(OutboundRequest(method: "GET", url: url), timeout: .seconds(2))
        } throws: { error in
            (error as? HTTPClientError).map { "\($0)" } == "127.0.0.1 resolves only to addresses that are not allowed"
        }
    }

    @Test func aProxyDoesNotCarryARequestTheFilterRefuses() async throws {
        // The proxy is a live server that would answer; the refusal must come first.
        let proxy = try LoopbackServer.start { router in
            router.get("/") { _, _ in HTTPResponse(status: .ok) }
        }
        defer { Task { await proxy.stop() } }
        let proxies = ProxyEnvironment(environment: ["HTTP_PROXY": "http://127.0.0.1:\(proxy.port)"])
        let viaProxy = KeepAliveClient(dialer: StreamDialer(
            proxies: proxies, tls: try TLSClientContext(trust: .system), addressFilter: { $0.ip != "127.0.0.1" }))
        let url = try #require(RequestURL("http://127.0.0.1:9/"))
        #expect {
            _ = try viaProxy.send(OutboundRequest(method: "GET", url: url), timeout: .seconds(2))
        } throws: { error in
            (error as? HTTPClientError).map { "\($0)" } == "127.0.0.1 resolves only to addresses that are not allowed"
        }
    }

    @Test func aClosedPortIsAConnectionError() async throws {
        let probe = try TCPListenerPort.unused()
        let url = try #require(RequestURL("http://127.0.0.1:\(probe)/"))
        await #expect(throws: SocketError.self) {
            _ = try await DedicatedThread.run { try self.client().send(OutboundRequest(method: "GET", url: url), timeout: .seconds(30)) }
        }
    }

    @Test func tlsIsVerifiedByDefaultAndTrustedWithTheRightAuthority() async throws {
        // Key generation, the openssl process and both handshakes block: all on a thread of their own.
        let (untrusted, trusted) = try await DedicatedThread.run {
            let server = try OpenSSLWebServer.start()
            defer { server.stop() }
            guard let url = RequestURL("https://127.0.0.1:\(server.port)/") else { throw TestFailure(description: "no URL") }
            let untrusted = Result { try self.client().send(OutboundRequest(method: "GET", url: url), timeout: .seconds(30)) }
            let trusting = try self.client(trust: .caFile(server.certificate))
            let trusted = Result { try trusting.send(OutboundRequest(method: "GET", url: url), timeout: .seconds(30)) }
            return (untrusted, trusted)
        }
        // The system store does not know the test's self-signed certificate: refused before a byte is sent.
        #expect(throws: TLSError.self) { _ = try untrusted.get() }
        #expect(try trusted.get().status == 200)
    }

    @Test(arguments: [
        ("https://hooks.example.com/services/T0/B0/x?y=1", true, "hooks.example.com", 443, "/services/T0/B0/x?y=1"),
        ("http://[::1]:8080", false, "::1", 8080, "/"),
    ])
    func parsesAbsoluteURLs(text: String, secure: Bool, host: String, port: Int, target: String) throws {
        let url = try #require(RequestURL(text))
        #expect(url.secure == secure && url.host == host && url.port == port && url.target == target)
    }

    @Test func refusesURLsItCannotSendTo() {
        #expect(RequestURL("ftp://example.com/") == nil)
        #expect(RequestURL("/relative") == nil)
        #expect(RequestURL("https://user:pw@example.com/") == nil)
        #expect(RequestURL("http://example.com:0/") == nil)
    }
}
