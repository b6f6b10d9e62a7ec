import Testing
@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM is sent to the test process itself: `installSignalHandlers` sets the disposition
/// to SIG_IGN before it creates the dispatch source, so the signal cannot kill the runner,
/// and the source still sees it and starts the graceful shutdown.
@Suite(.serialized) struct SignalShutdownTests {
    @Test func sigtermDrainsAndStopsTheServer() async throws {
        let live = try LiveServer.start()
        live.server.installSignalHandlers(deadline: .seconds(1))
        let client = try live.client()
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        #expect(kill(getpid(), SIGTERM) == 0)
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await live.server.run()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(stopped, "run() should return once SIGTERM has drained the server")
        #expect(client.isClosedByPeer())
        #expect(throws: TestClient.Failure.self) { try TestClient(port: live.port) }
        if !stopped { await live.stop() }
    }
}
