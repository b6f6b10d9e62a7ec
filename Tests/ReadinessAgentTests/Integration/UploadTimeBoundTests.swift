import Foundation
import HTTPClient
import SystemClock
import SystemCrypto
import Testing
@testable import ReadinessAgent
#if canImport(Glibc)
import Glibc
#endif

/// The upload probe's time bound, on a clock the test moves: once it has run out, a connection
/// the server ended is not replaced (a reconnect then, its deadline perhaps spent, could only
/// throw away the figure already measured).
@Suite struct UploadTimeBoundTests {
    /// A clock that moves 1 ms each time it is read, and jumps when told.
    final class SteppingClock: @unchecked Sendable {  // `lock` guards `time`
        private let lock = NSLock()
        private var time = MonotonicTime.now()
        func now() -> MonotonicTime {
            lock.withLock {
                time = time + .milliseconds(1)
                return time
            }
        }
        func jump(_ by: Duration) { lock.withLock { time = time + by } }
    }

    /// Numbers connections; on each, answers the first upload chunk, reads the one pipelined
    /// behind it without answering, and ends the connection without saying so (as tinyproxy
    /// does). A connection that sends `MARKER` has its number noted instead.
    final class OneAnswerServer: @unchecked Sendable {  // `lock` guards `connections` and `markerNumber`
        private let lock = NSLock()
        private var connections = 0
        private var markerNumber: Int?
        private(set) var listener: LoopbackListener!

        init() throws {
            listener = try LoopbackListener { [unowned self] fd in
                let number = lock.withLock { connections += 1; return connections }
                guard let head = RawIO.readHead(fd) else { return }
                if head.hasPrefix("MARKER") { lock.withLock { markerNumber = number } }
                guard head.hasPrefix("POST") else { return }
                let length = Self.contentLength(head)
                Self.readBody(fd, length)
                let answer = "{\"bytes\":\(length)}"
                RawIO.writeAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(answer.utf8.count)\r\n\r\n\(answer)".utf8))
                if let next = RawIO.readHead(fd) { Self.readBody(fd, Self.contentLength(next)) }
            }
        }

        /// The marker connection's number, once it has been read.
        var marker: Int? { lock.withLock { markerNumber } }

        static func contentLength(_ head: String) -> Int {
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        }

        static func readBody(_ fd: Int32, _ length: Int) {
            var left = length
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while left > 0 {
                let count = read(fd, &buffer, min(left, buffer.count))
                guard count > 0 else { return }
                left -= count
            }
        }
    }

    @Test func pastItsTimeBoundTheUploadKeepsWhatWasAcknowledgedAndDoesNotReconnect() async throws {
        let server = try OneAnswerServer()
        defer { server.listener.stop() }
        let clock = SteppingClock()
        var probe = BandwidthProbe(
            server: try #require(ServerURL("http://127.0.0.1:\(server.listener.port)")), token: "t",
            dialer: StreamDialer(proxies: ProxyEnvironment(), tls: try TLSClientContext(trust: .system)), seconds: 5)
        probe.clock = { clock.now() }
        // The first acknowledgement arrives after the time bound.
        let kbps = try await probe.upload(bytes: 1 << 20) { _ in clock.jump(.seconds(6)) }
        #expect(kbps > 0, "the first chunk's figure stands")
        // Connections are accepted in order: a reconnect the upload made before it returned
        // comes before a connection made now.
        let marker = try LoopbackConnection(port: server.listener.port)
        RawIO.writeAll(marker.fd, Array("MARKER\r\n\r\n".utf8))
        for _ in 0..<10_000 where server.marker == nil { try await Task.sleep(for: .milliseconds(1)) }
        marker.close()
        #expect(server.marker == 2, "the upload's one connection, then the marker")
    }
}

/// A plain client connection to the loopback listener.
struct LoopbackConnection {
    let fd: Int32
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = RawIO.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
    }
    func close() { _ = Glibc.close(fd) }
}
