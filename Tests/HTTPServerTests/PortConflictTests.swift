import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPServer
@testable import Sockets

/// Several loops listen with SO_REUSEPORT; a second server must still not be able to share
/// a port another server holds.
@Suite struct PortConflictTests {
    @Test func aSecondServerOnATakenPortFailsToStart() async throws {
        let first = try LiveServer.start(loops: 2)
        let second = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: first.port, eventLoops: 2),
            responder: Router().buildResponder(), logger: Logger(label: "test"))
        #expect {
            _ = try second.start()
        } throws: { error in
            (error as? SocketError)?.code == EADDRINUSE
        }
        await first.stop()
    }
}
