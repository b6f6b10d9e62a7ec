import Foundation
import ReadinessAgent
import ReadinessContract
import ReadinessServiceTestSupport
import Testing

/// The agent behind an explicit proxy (`http_proxy`): its API calls go through it, and the
/// WebSocket probe tries the handshake directly and through the proxy.
@Suite struct ProxyPathTests {
    func dryRun(_ site: AgentTestSite, environment: [String: String]) async throws -> (ProbeResult, CapturedConsole) {
        let spool = temporarySpool()
        defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
        let captured = CapturedConsole()
        let flags = site.flags(spool: spool) {
            $0.dryRun = true
            $0.bandwidthSeconds = 0
        }
        let code = await AgentCommand.main(flags: flags, environment: environment, console: captured.console)
        try #require(code == 0, "\(captured.stderr)")
        return (try ProbeResultDecoder.decode(captured.stdout, now: Date()).get().results[0], captured)
    }

    @Test func webSocketIsProbedDirectlyAndThroughTheProxy() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let proxy = try ForwardProxy()
            defer { proxy.stop() }
            let (result, _) = try await dryRun(site, environment: ["http_proxy": proxy.url])
            #expect(result.network.proxy == .init(present: true, kind: .explicit, inMediaPath: false))
            let websockets = (result.gateway ?? []).filter { $0.kind == .websocket }
            #expect(websockets == [
                .init(kind: .websocket, host: "127.0.0.1", allowed: true, viaProxy: false, status: 101),
                .init(kind: .websocket, host: "127.0.0.1", allowed: true, viaProxy: true, status: 101),
            ])
            #expect(proxy.requests.contains("GET http://127.0.0.1:\(live.port)/v1/agent/plan HTTP/1.1"), "\(proxy.requests)")
            #expect(proxy.requests.contains("GET http://127.0.0.1:\(live.port)/v1/probe/websocket HTTP/1.1"), "\(proxy.requests)")
        }
    }

    @Test func aGatewayThatStripsTheUpgradeBlocksWebSocketsOnlyThroughIt() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let gateway = try ForwardProxy(stripUpgrade: true)
            defer { gateway.stop() }
            let (result, captured) = try await dryRun(site, environment: ["HTTP_PROXY": gateway.url, "HTTPS_PROXY": gateway.url])
            let websockets = (result.gateway ?? []).filter { $0.kind == .websocket }
            #expect(websockets.first { !$0.viaProxy }?.allowed == true)
            let proxied = try #require(websockets.first { $0.viaProxy })
            #expect(!proxied.allowed)
            #expect(proxied.status != 101)
            #expect(captured.stderr.contains("websocket 127.0.0.1 via proxy"))
        }
    }

    /// A proxy that hangs up after every answer without saying so: the upload probe's
    /// pipelined chunks go again on fresh connections and the figure still comes out.
    @Test func uploadSurvivesAProxyThatClosesAfterEachAnswer() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let proxy = try ForwardProxy(oneRequestPerConnection: true)
            defer { proxy.stop() }
            let spool = temporarySpool()
            defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
            let captured = CapturedConsole()
            let flags = site.flags(spool: spool) {
                $0.dryRun = true
                // The plan's byte counts end both directions in well under a second here; the
                // time bound only has to outlast a loaded machine. In parallel runs of the suite
                // 1.5 s once ended after the first upload's answer, and 5 s once before it.
                $0.bandwidthSeconds = 60
            }
            #expect(await AgentCommand.main(flags: flags, environment: ["http_proxy": proxy.url], console: captured.console) == 0)
            let result = try ProbeResultDecoder.decode(captured.stdout, now: Date()).get().results[0]
            let bandwidth = try #require(result.bandwidth, "\(captured.stderr)")
            #expect(bandwidth.upKbps > 0)
            // One request per proxy connection: a second upload went out on a fresh connection.
            #expect(proxy.requests.filter { $0.hasPrefix("POST http://127.0.0.1:\(live.port)/v1/probe/upload") }.count >= 2, "\(proxy.requests)")
        }
    }

    @Test func noProxyExclusionKeepsEverythingDirect() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let proxy = try ForwardProxy()
            defer { proxy.stop() }
            let (result, _) = try await dryRun(site, environment: ["http_proxy": proxy.url, "no_proxy": "127.0.0.1"])
            #expect(result.network.proxy == .init(present: true, kind: .explicit, inMediaPath: false))
            #expect((result.gateway ?? []).filter { $0.kind == .websocket }.map(\.viaProxy) == [false])
            #expect(proxy.requests.isEmpty)
        }
    }
}
