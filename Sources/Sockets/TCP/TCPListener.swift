import CSocketShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking listening socket. Bind with ``init(host:port:reusePort:backlog:)`` on any
/// thread, then hand it to one loop with ``register(on:onAccept:)``.
public final class TCPListener: PollTarget, @unchecked Sendable {
    // @unchecked Sendable is safe because the listener only crosses threads between `init`
    // and `register`; afterwards every method is called on the owning loop thread.
    private var fd: Int32
    public let port: Int
    /// Strong, dropped in ``close()``: a weak reference would give the loop a side table and
    /// push every retain of it (one per request) onto the runtime's slow path.
    private var loop: EventLoop?
    private var onAccept: ((TCPConnection) -> Void)?
    /// How long to stop accepting after EMFILE/ENFILE, so a full fd table is not a busy loop.
    public var acceptBackoff: Duration = .milliseconds(100)
    private var isBackingOff = false

    /// - Parameter reusePort: `SO_REUSEPORT`, so each loop can own a listener on the same port
    ///   and the kernel spreads connections between them.
    public init(host: String, port: Int, reusePort: Bool, backlog: Int = 1024) throws {
        let fd = cshim_listen_tcp(host, Int32(port), reusePort ? 1 : 0, Int32(backlog))
        guard fd >= 0 else { throw SocketError("bind \(host):\(port)") }
        let bound = cshim_local_port(fd)
        guard bound >= 0 else {
            let code = errno
            _ = systemClose(fd)
            throw SocketError("getsockname", code: code)
        }
        self.fd = fd
        self.port = Int(bound)
    }

    /// Starts accepting on `loop` (call on that loop's thread, e.g. from `loop.execute`).
    public func register(on loop: EventLoop, onAccept: @escaping (TCPConnection) -> Void) throws {
        self.loop = loop
        self.onAccept = onAccept
        try loop.register(self, fd: fd, interest: .read)
    }

    /// Stops accepting; new connection attempts are refused once every listener on the port is closed.
    public func close() {
        guard fd >= 0 else { return }
        if let loop { loop.deregister(fd: fd) }
        _ = systemClose(fd)
        fd = -1
        onAccept = nil
        loop = nil
    }

    func handle(_ event: PollEvent) {
        guard let loop, fd >= 0 else { return }
        // Bounded so one busy listener cannot starve the connections this loop already owns.
        for _ in 0..<64 {
            let client = cshim_accept(fd)
            if client < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    backOff(loop)
                }
                return
            }
            _ = cshim_configure_connection(client)
            let connection = TCPConnection(fd: client, loop: loop)
            do {
                try loop.register(connection, fd: client, interest: .read)
            } catch {
                connection.close()
                continue
            }
            onAccept?(connection)
        }
    }

    private func backOff(_ loop: EventLoop) {
        guard !isBackingOff else { return }
        isBackingOff = true
        try? loop.poller.modify(fd, interest: [])
        loop.schedule(after: acceptBackoff) { [weak self] in
            guard let self, self.fd >= 0 else { return }
            self.isBackingOff = false
            try? loop.poller.modify(self.fd, interest: .read)
        }
    }

    func loopDidStop() {
        close()
    }
}
