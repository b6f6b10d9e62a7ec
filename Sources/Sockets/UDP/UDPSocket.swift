import CSocketShims
import Foundation
import SystemClock

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP socket for blocking use from dedicated threads: `receive(timeout:)` waits with poll(2)
/// for a deadline, `send` never blocks (a full socket buffer drops the datagram, as the network
/// may). Several threads may send while one receives; ``close()`` wakes a waiting receiver.
public final class UDPSocket: @unchecked Sendable {
    // @unchecked Sendable is safe because the descriptors are only read under `lock`, system
    // calls on one UDP socket from several threads are safe in the kernel, and the descriptor
    // is closed only once no call is using it (`inFlight`), so a number reused by the kernel
    // for another file is never touched.
    private let lock = NSLock()
    private var fd: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var inFlight = 0
    private var isClosing = false

    /// The largest UDP payload (RFC 768 length field less the header), the default receive size.
    public static let maxDatagramSize = 65_507

    /// Binds to `address`; port 0 lets the kernel choose (read it back from ``localAddress()``).
    /// An IPv6 wildcard (`::`) is dual-stack and also receives IPv4.
    public init(bindingTo address: SocketAddress) throws(SocketError) {
        let fd = cshim_udp_bind(address.ipBytes, Int32(address.ipBytes.count), Int32(address.port))
        guard fd >= 0 else { throw SocketError("bind udp \(address)") }
        var read: Int32 = -1
        var write: Int32 = -1
        guard cshim_wakeup_create(&read, &write) == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw SocketError("wakeup channel", code: code)
        }
        self.fd = fd
        self.wakeRead = read
        self.wakeWrite = write
    }

    /// An unbound socket of `family` (bound to the wildcard, port chosen by the kernel), e.g. for
    /// an agent that then calls ``connect(to:)``.
    public convenience init(family: SocketAddress.Family) throws(SocketError) {
        try self.init(bindingTo: .any(family))
    }

    deinit {
        close()
    }

    /// The address the socket is bound to; after ``connect(to:)``, the source address the kernel
    /// chose for that destination (getsockname).
    public func localAddress() throws(SocketError) -> SocketAddress {
        try withDescriptor("getsockname") { fd throws(SocketError) in
            var ip = [UInt8](repeating: 0, count: 16)
            var length: Int32 = 0
            var port: Int32 = 0
            guard cshim_socket_address(fd, &ip, &length, &port) == 0 else { throw SocketError("getsockname") }
            return SocketAddress(unchecked: Array(ip.prefix(Int(length))), port: UInt16(truncatingIfNeeded: port))
        }
    }

    /// Fixes the peer: the kernel picks a route and source address (no packet is sent), only
    /// datagrams from `peer` are received, and ICMP errors surface on the next call (RFC 1122
    /// §4.1.3.3).
    public func connect(to peer: SocketAddress) throws(SocketError) {
        try withDescriptor("connect") { fd throws(SocketError) in
            guard cshim_udp_connect(fd, peer.ipBytes, Int32(peer.ipBytes.count), Int32(peer.port)) == 0 else {
                throw SocketError("connect udp \(peer)")
            }
        }
    }

    /// Sends one datagram to `destination`. Returns false when the kernel dropped it for lack of
    /// buffer space (EAGAIN/ENOBUFS), which a caller treats like loss on the path.
    @discardableResult
    public func send(_ bytes: [UInt8], to destination: SocketAddress) throws(SocketError) -> Bool {
        try withDescriptor("sendto") { fd throws(SocketError) in
            let sent = bytes.withUnsafeBytes {
                cshim_udp_sendto(fd, $0.baseAddress, $0.count, destination.ipBytes, Int32(destination.ipBytes.count), Int32(destination.port))
            }
            return try Self.sendOutcome(sent)
        }
    }

    /// Sends one datagram to the connected peer.
    @discardableResult
    public func send(_ bytes: [UInt8]) throws(SocketError) -> Bool {
        try withDescriptor("send") { fd throws(SocketError) in
            let sent = bytes.withUnsafeBytes { cshim_udp_send(fd, $0.baseAddress, $0.count) }
            return try Self.sendOutcome(sent)
        }
    }

    /// Waits up to `timeout` (nil: until a datagram or ``close()``) for one datagram. Returns nil
    /// on timeout and once the socket is closed; throws for errors such as ICMP port
    /// unreachable on a connected socket (ECONNREFUSED). Datagrams longer than `maxSize` are
    /// discarded rather than returned cut short.
    public func receive(timeout: Duration?, maxSize: Int = UDPSocket.maxDatagramSize) throws(SocketError)
        -> (bytes: [UInt8], from: SocketAddress)?
    {
        let deadline = timeout.map { MonotonicTime.now() + $0 }
        while true {
            let waitMilliseconds = deadline.map { Self.milliseconds(until: $0) } ?? -1
            let outcome: (bytes: [UInt8], from: SocketAddress)?? = try withDescriptor("recvfrom") { fd throws(SocketError) in
                let ready = cshim_poll_readable(fd, wakeRead, waitMilliseconds)
                if ready < 0 {
                    if errno == EINTR { return .some(nil) }
                    throw SocketError("poll")
                }
                if ready == 0 { return nil }
                return .some(try Self.receiveOne(fd, maxSize: maxSize))
            }
            switch outcome {
            case .some(.some(let datagram)): return datagram
            case .some(.none):
                // Spurious wake-up, EINTR or a discarded oversize datagram: wait out the rest.
                if let deadline, deadline <= MonotonicTime.now() { return nil }
            case .none:
                return nil
            }
            if isClosed { return nil }
        }
    }

    public var isClosed: Bool {
        lock.withLock { isClosing }
    }

    /// Closes the socket; a thread blocked in ``receive(timeout:maxSize:)`` returns nil. The
    /// descriptors are released once the last call in progress has returned.
    public func close() {
        lock.lock()
        guard !isClosing else { lock.unlock(); return }
        isClosing = true
        let closeNow = inFlight == 0
        lock.unlock()
        cshim_wakeup_signal(wakeWrite)
        if closeNow { releaseDescriptors() }
    }

    // MARK: - Descriptor lifetime

    private func withDescriptor<T>(_ operation: String, _ body: (Int32) throws(SocketError) -> T) throws(SocketError) -> T {
        lock.lock()
        guard !isClosing else {
            lock.unlock()
            throw SocketError("\(operation) on closed socket", code: EBADF)
        }
        inFlight += 1
        let fd = self.fd
        lock.unlock()
        defer { endCall() }
        return try body(fd)
    }

    private func endCall() {
        lock.lock()
        inFlight -= 1
        let closeNow = isClosing && inFlight == 0
        lock.unlock()
        if closeNow { releaseDescriptors() }
    }

    private func releaseDescriptors() {
        lock.lock()
        let fd = self.fd
        self.fd = -1
        lock.unlock()
        guard fd >= 0 else { return }
        _ = systemClose(fd)
        if wakeWrite != wakeRead { _ = systemClose(wakeWrite) }
        _ = systemClose(wakeRead)
    }

    // MARK: - System call helpers

    private static func receiveOne(_ fd: Int32, maxSize: Int) throws(SocketError) -> (bytes: [UInt8], from: SocketAddress)? {
        var buffer = [UInt8](repeating: 0, count: maxSize)
        var ip = [UInt8](repeating: 0, count: 16)
        var ipLength: Int32 = 0
        var port: Int32 = 0
        var truncated: Int32 = 0
        let count = buffer.withUnsafeMutableBytes {
            cshim_udp_recvfrom(fd, $0.baseAddress, $0.count, &ip, &ipLength, &port, &truncated)
        }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
            throw SocketError("recvfrom")
        }
        guard truncated == 0 else { return nil }
        buffer.removeSubrange(count...)
        return (buffer, SocketAddress(unchecked: Array(ip.prefix(Int(ipLength))), port: UInt16(truncatingIfNeeded: port)))
    }

    private static func sendOutcome(_ sent: Int) throws(SocketError) -> Bool {
        if sent >= 0 { return true }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS { return false }
        throw SocketError("sendto")
    }

    private static func milliseconds(until deadline: MonotonicTime) -> Int32 {
        let remaining = deadline.duration(since: .now())
        let (seconds, attoseconds) = remaining.components
        // Round up so a wait never ends just before its deadline.
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
