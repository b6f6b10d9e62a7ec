import CSocketShims
import SystemClock

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An outgoing TCP connection with a bounded connect and deadline-bounded reads and writes.
///
/// Every call blocks its thread (with `poll`) until done or until its deadline; run them on a
/// ``DedicatedThread``. `@unchecked Sendable`: it wraps a file descriptor that one probe uses
/// from one thread at a time; the descriptor is only closed by `close()` or `deinit`.
public final class TCPClientSocket: @unchecked Sendable {
    private var fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        if fd >= 0 { _ = systemClose(fd) }
    }

    /// Connects to `address` within `timeout`; `TCP_NODELAY` is set, as request/response
    /// exchanges (HTTP heads, WebSocket handshakes) must not wait for delayed ACKs.
    public static func connect(to address: SocketAddress, timeout: Duration) throws -> TCPClientSocket {
        let fd = socket(address.socketFamily, SocketTypes.stream, 0)
        guard fd >= 0 else { throw SocketError("socket") }
        let client = TCPClientSocket(fd: fd)
        let flags = fcntl(fd, F_GETFL, 0)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) >= 0 else { throw SocketError("fcntl") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let status = address.withSockAddr { systemConnect(fd, $0, $1) }
        if status != 0 {
            guard errno == EINPROGRESS || errno == EINTR else { throw SocketError("connect") }
            try ReadinessWait.wait(fd, for: .write, until: .now() + timeout, operation: "connect")
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else { throw SocketError("getsockopt") }
            if failure != 0 { throw SocketError("connect", code: failure) }
        }
        _ = cshim_configure_connection(fd)
        return client
    }

    /// Tries each address in turn within one overall `timeout`, as RFC 8305 §5 asks of
    /// clients without racing (a probe measures one connect, so attempts are sequential).
    public static func connect(to addresses: [SocketAddress], timeout: Duration) throws -> TCPClientSocket {
        let deadline = MonotonicTime.now() + timeout
        var lastError = SocketError("connect", code: EHOSTUNREACH)
        for address in addresses {
            let left = deadline.duration(since: .now())
            guard left > .zero else { throw SocketError("connect", code: ETIMEDOUT) }
            do {
                return try connect(to: address, timeout: left)
            } catch let error as SocketError {
                lastError = error
            }
        }
        throw lastError
    }

    public var isOpen: Bool { fd >= 0 }

    /// Writes all of `bytes` or throws (`ETIMEDOUT` once `deadline` passes).
    public func write(_ bytes: [UInt8], deadline: MonotonicTime) throws {
        var offset = 0
        while offset < bytes.count {
            guard fd >= 0 else { throw SocketError("send", code: EBADF) }
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return cshim_send(fd, base + offset, raw.count - offset)
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try ReadinessWait.wait(fd, for: .write, until: deadline, operation: "send")
            } else {
                throw SocketError("send")
            }
        }
    }

    /// Up to `maxCount` bytes, waiting until `deadline` for the first; empty at end of stream.
    public func read(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            guard fd >= 0 else { throw SocketError("recv", code: EBADF) }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maxCount, 0) }
            if count >= 0 {
                buffer.removeSubrange(count...)
                return buffer
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw SocketError("recv") }
            try ReadinessWait.wait(fd, for: .read, until: deadline, operation: "recv")
        }
    }

    /// Sends FIN after what was written; reading still works.
    public func shutdownOutput() {
        if fd >= 0 { _ = shutdown(fd, Int32(SHUT_WR)) }
    }

    public func close() {
        guard fd >= 0 else { return }
        _ = systemClose(fd)
        fd = -1
    }
}

/// `connect(2)`, spelled apart from the static `connect` methods above.
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
