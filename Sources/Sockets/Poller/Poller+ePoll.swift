import CSocketShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Level-triggered epoll: a connection that leaves bytes unread is simply reported again,
/// which keeps per-event reads bounded and fair between connections.
final class EPollPoller: Poller {
    private let epfd: Int32
    private var fds: [Int32]
    private var flags: [UInt32]
    private static let batch = 256

    init() throws {
        guard cshim_has_epoll() == 1 else { throw SocketError("epoll", code: ENOSYS) }
        let fd = cshim_epoll_create()
        guard fd >= 0 else { throw SocketError("epoll_create1") }
        epfd = fd
        fds = Array(repeating: 0, count: Self.batch)
        flags = Array(repeating: 0, count: Self.batch)
    }

    func add(_ fd: Int32, interest: Interest) throws {
        try control(0, fd, interest)
    }

    func modify(_ fd: Int32, interest: Interest) throws {
        try control(1, fd, interest)
    }

    func remove(_ fd: Int32) {
        _ = cshim_epoll_ctl(epfd, 2, fd, 0, 0)
    }

    private func control(_ op: Int32, _ fd: Int32, _ interest: Interest) throws {
        let read: Int32 = interest.contains(.read) ? 1 : 0
        let write: Int32 = interest.contains(.write) ? 1 : 0
        guard cshim_epoll_ctl(epfd, op, fd, read, write) == 0 else { throw SocketError("epoll_ctl") }
    }

    func wait(timeoutMilliseconds: Int32, into events: inout [PollEvent]) throws {
        events.removeAll(keepingCapacity: true)
        let count = fds.withUnsafeMutableBufferPointer { fdBuffer in
            flags.withUnsafeMutableBufferPointer { flagBuffer in
                cshim_epoll_wait(
                    epfd, fdBuffer.baseAddress, flagBuffer.baseAddress, Int32(Self.batch), timeoutMilliseconds)
            }
        }
        guard count >= 0 else {
            if errno == EINTR { return }
            throw SocketError("epoll_wait")
        }
        for index in 0..<Int(count) {
            let bits = flags[index]
            events.append(PollEvent(
                fd: fds[index], readable: bits & 1 != 0, writable: bits & 2 != 0, hangup: bits & 4 != 0))
        }
    }

    func close() {
        _ = systemClose(epfd)
    }
}

/// `close(2)` without the name clash against `Poller.close()`.
func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}
