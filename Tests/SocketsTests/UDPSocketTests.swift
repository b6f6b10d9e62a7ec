import Foundation
import SystemClock
import Testing
@testable import Sockets

@Suite struct UDPSocketTests {
    static let loopback = SocketAddress(ip: "127.0.0.1", port: 0)!

    /// Whether this machine can bind UDP on `address` (a container without IPv6 cannot bind
    /// `::1` or `[::]`); the IPv6 tests are skipped, and say so, where it cannot.
    static func canBind(_ address: SocketAddress) -> Bool {
        guard let socket = try? UDPSocket(bindingTo: address) else { return false }
        socket.close()
        return true
    }

    static let hasIPv6Wildcard = canBind(.any(.ipv6))
    static let hasIPv6Loopback = canBind(SocketAddress(ip: "::1", port: 0)!)

    @Test func reportsTheKernelChosenPort() throws {
        let socket = try UDPSocket(bindingTo: Self.loopback)
        let local = try socket.localAddress()
        #expect(local.ip == "127.0.0.1")
        #expect(local.port != 0)
    }

    @Test func sendsAndReceivesOverLoopbackWithTheSourceAddress() throws {
        let server = try UDPSocket(bindingTo: Self.loopback)
        let client = try UDPSocket(bindingTo: Self.loopback)
        let serverAddress = try server.localAddress()
        #expect(try client.send([1, 2, 3], to: serverAddress))
        let datagram = try #require(try server.receive(timeout: .seconds(2)))
        #expect(datagram.bytes == [1, 2, 3])
        #expect(datagram.from == (try client.localAddress()))

        try server.send([9], to: datagram.from)
        #expect(try client.receive(timeout: .seconds(2))?.bytes == [9])
    }

    @Test func receiveTimesOutWithNil() throws {
        let socket = try UDPSocket(bindingTo: Self.loopback)
        let start = MonotonicTime.now()
        #expect(try socket.receive(timeout: .milliseconds(100)) == nil)
        let waited = MonotonicTime.now().duration(since: start)
        #expect(waited >= .milliseconds(100))
        #expect(waited < .seconds(2))
    }

    @Test func closeWakesABlockedReceiver() async throws {
        let socket = try UDPSocket(bindingTo: Self.loopback)
        let returned = ThreadFlag()
        let thread = Thread {
            _ = try? socket.receive(timeout: nil)
            returned.set()
        }
        thread.start()
        try await Task.sleep(for: .milliseconds(50))
        #expect(!returned.isSet)
        socket.close()
        #expect(await returned.wait(upTo: .seconds(2)))
        #expect(socket.isClosed)
        #expect(throws: SocketError.self) { try socket.send([1], to: Self.loopback) }
    }

    @Test func discardsDatagramsLargerThanTheReceiveSize() throws {
        let server = try UDPSocket(bindingTo: Self.loopback)
        let client = try UDPSocket(bindingTo: Self.loopback)
        let address = try server.localAddress()
        try client.send([UInt8](repeating: 7, count: 100), to: address)
        try client.send([8], to: address)
        #expect(try server.receive(timeout: .seconds(2), maxSize: 50)?.bytes == [8])
    }

    @Test func connectReportsTheSourceAddressTheKernelPicks() throws {
        let server = try UDPSocket(bindingTo: Self.loopback)
        let agent = try UDPSocket(family: .ipv4)
        #expect(try agent.localAddress().ip == "0.0.0.0")
        try agent.connect(to: try server.localAddress())
        #expect(try agent.localAddress().ip == "127.0.0.1")
        try agent.send([5])
        #expect(try server.receive(timeout: .seconds(2))?.bytes == [5])
    }

    @Test func connectedSocketSurfacesPortUnreachable() throws {
        // A port nobody listens on: bind, read the port, close.
        let port = try {
            let probe = try UDPSocket(bindingTo: Self.loopback)
            defer { probe.close() }
            return try probe.localAddress().port
        }()
        let agent = try UDPSocket(family: .ipv4)
        try agent.connect(to: SocketAddress(ip: "127.0.0.1", port: port)!)
        try agent.send([1])
        #expect(throws: SocketError.self) { try agent.receive(timeout: .seconds(2)) }
    }

    @Test(.enabled(if: hasIPv6Wildcard, "this machine cannot bind UDP on [::]"))
    func dualStackWildcardReportsIPv4PeersAsIPv4() throws {
        let server = try UDPSocket(bindingTo: .any(.ipv6))
        let port = try server.localAddress().port
        let client = try UDPSocket(bindingTo: Self.loopback)
        try client.send([4], to: SocketAddress(ip: "127.0.0.1", port: port)!)
        let datagram = try #require(try server.receive(timeout: .seconds(2)))
        #expect(datagram.from.family == .ipv4)
        #expect(datagram.from == (try client.localAddress()))
        try server.send([6], to: datagram.from)
        #expect(try client.receive(timeout: .seconds(2))?.bytes == [6])
    }

    @Test(.enabled(if: hasIPv6Loopback, "this machine has no IPv6 loopback"))
    func worksOverIPv6Loopback() throws {
        let server = try UDPSocket(bindingTo: SocketAddress(ip: "::1", port: 0)!)
        let client = try UDPSocket(bindingTo: SocketAddress(ip: "::1", port: 0)!)
        try client.send([6, 6], to: try server.localAddress())
        let datagram = try #require(try server.receive(timeout: .seconds(2)))
        #expect(datagram.from.ip == "::1")
        #expect(datagram.from.description == "[::1]:\(datagram.from.port)")
    }
}

/// A flag one thread sets and a test awaits.
final class ThreadFlag: @unchecked Sendable {
    // @unchecked Sendable: the one stored Bool is only touched under `lock`.
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }

    func wait(upTo limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if isSet { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return isSet
    }
}
