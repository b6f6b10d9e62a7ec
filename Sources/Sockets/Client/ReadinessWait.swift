#if canImport(Glibc)
import Glibc
import SystemClock
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits with `poll` until one descriptor is ready or a monotonic deadline passes: the one
/// blocking primitive of the client sockets, so every read, write and connect is bounded.
enum ReadinessWait {
    enum Direction {
        case read, write

        var events: Int16 { self == .read ? Int16(POLLIN) : Int16(POLLOUT) }
    }

    /// Returns when `fd` is ready in `direction` (or has an error or hang-up to report);
    /// throws `ETIMEDOUT` once `deadline` has passed.
    static func wait(_ fd: Int32, for direction: Direction, until deadline: MonotonicTime, operation: String) throws {
        while true {
            let now = MonotonicTime.now()
            guard now < deadline else { throw SocketError(operation, code: ETIMEDOUT) }
            let remainingNs = deadline.nanoseconds - now.nanoseconds
            // Round up so a sub-millisecond remainder still waits instead of spinning.
            let timeoutMs = Int32(clamping: (remainingNs + 999_999) / 1_000_000)
            var entry = pollfd(fd: fd, events: direction.events, revents: 0)
            let ready = poll(&entry, 1, timeoutMs)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw SocketError("poll") }
        }
    }
}
