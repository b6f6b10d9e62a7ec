import Foundation
import Testing
@testable import Sockets
import SystemClock

#if canImport(Glibc)
import Glibc
#endif

/// The client side the agent's probes use: bounded connect, deadline-bounded read and write.
@Suite struct TCPClientSocketTests {
    /// A listening socket on 127.0.0.1 that accepts but never speaks (its port, its fd).
    static func silentListener() throws -> (port: Int, fd: Int32) {
        let fd = cshim_listen_tcp("127.0.0.1", 0, 0, 8)
        try #require(fd >= 0)
        return (Int(cshim_local_port(fd)), fd)
    }

    @Test func sockAddrRoundTripKeepsAddressAndPort() throws {
        for text in ["192.0.2.7", "2001:db8::1"] {
            let address = try #require(SocketAddress(ip: text, port: 3478))
            let back = address.withSockAddr { pointer, _ in SocketAddress(pointer) }
            #expect(back == address)
        }
    }

    /// Numeric hosts and /etc/hosts only: a test must not send a DNS query off this machine.
    @Test func resolverAnswersNumericHostsAndLocalhost() throws {
        #expect(try HostResolver.resolve("127.0.0.1", port: 443, transport: .tcp) == [SocketAddress(ip: "127.0.0.1", port: 443)!])
        let local = try HostResolver.resolve("localhost", port: 80, transport: .udp)
        #expect(local.contains(SocketAddress(ip: "127.0.0.1", port: 80)!))
    }

    @Test func connectToAClosedPortIsRefused() throws {
        let listener = try Self.silentListener()
        close(listener.fd)
        let addresses = try HostResolver.resolve("127.0.0.1", port: listener.port, transport: .tcp)
        #expect { try TCPClientSocket.connect(to: addresses, timeout: .seconds(1)) } throws: { error in
            (error as? SocketError)?.kind == .refused
        }
    }

    @Test func readsAndWritesRoundTripAndAReadTimesOutAtItsDeadline() throws {
        let listener = try Self.silentListener()
        defer { close(listener.fd) }
        let socket = try TCPClientSocket.connect(to: SocketAddress(ip: "127.0.0.1", port: UInt16(listener.port))!, timeout: .seconds(1))
        defer { socket.close() }
        let peer = accept(listener.fd, nil, nil)
        try #require(peer >= 0)
        defer { close(peer) }

        try socket.write(Array("ping".utf8), deadline: .now() + .seconds(1))
        var received = [UInt8](repeating: 0, count: 4)
        #expect(recv(peer, &received, 4, Int32(MSG_WAITALL)) == 4)
        #expect(received == Array("ping".utf8))
        _ = send(peer, "pong", 4, 0)
        #expect(try socket.read(maxCount: 16, deadline: .now() + .seconds(1)) == Array("pong".utf8))

        let started = ContinuousClock.now
        #expect { try socket.read(maxCount: 16, deadline: .now() + .milliseconds(150)) } throws: { error in
            (error as? SocketError)?.kind == .timedOut
        }
        #expect(ContinuousClock.now - started >= .milliseconds(140))
        shutdown(peer, Int32(SHUT_WR))
        #expect(try socket.read(maxCount: 16, deadline: .now() + .seconds(1)).isEmpty)
    }
}

import CSocketShims
