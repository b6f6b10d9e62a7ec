#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Portable `poll()` backend. O(n) per wait, which is fine for development on macOS; Linux
/// production uses ``EPollPoller``.
final class PollPoller: Poller {
    private var interests: [Int32: Interest] = [:]
    private var pollFDs: [pollfd] = []

    func add(_ fd: Int32, interest: Interest) throws {
        interests[fd] = interest
    }

    func modify(_ fd: Int32, interest: Interest) throws {
        interests[fd] = interest
    }

    func remove(_ fd: Int32) {
        interests[fd] = nil
    }

    func wait(timeoutMilliseconds: Int32, into events: inout [PollEvent]) throws {
        events.removeAll(keepingCapacity: true)
        pollFDs.removeAll(keepingCapacity: true)
        for (fd, interest) in interests {
            var wanted: Int16 = 0
            if interest.contains(.read) { wanted |= Int16(POLLIN) }
            if interest.contains(.write) { wanted |= Int16(POLLOUT) }
            pollFDs.append(pollfd(fd: fd, events: wanted, revents: 0))
        }
        let count = pollFDs.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
        }
        guard count >= 0 else {
            if errno == EINTR { return }
            throw SocketError("poll")
        }
        for entry in pollFDs where entry.revents != 0 {
            let bits = entry.revents
            events.append(PollEvent(
                fd: entry.fd,
                readable: bits & Int16(POLLIN) != 0,
                writable: bits & Int16(POLLOUT) != 0,
                hangup: bits & Int16(POLLHUP | POLLERR | POLLNVAL) != 0))
        }
    }

    func close() {
        interests.removeAll()
    }
}
