import CSocketShims
import SystemClock

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets a dedicated thread sleep until a monotonic deadline, and another thread cut the sleep
/// short. poll(2) on an eventfd measures its timeout on the monotonic clock, unlike
/// `NSCondition.wait(until:)`, whose wall-clock deadline moves when the clock is set.
public final class WakeableSleep: @unchecked Sendable {
    // @unchecked Sendable is safe because the descriptors are immutable after init, and
    // eventfd writes and polls from several threads are safe in the kernel.
    private let readFD: Int32
    private let writeFD: Int32

    public init() throws(SocketError) {
        var readFD: Int32 = -1
        var writeFD: Int32 = -1
        guard cshim_wakeup_create(&readFD, &writeFD) == 0 else { throw SocketError("eventfd") }
        self.readFD = readFD
        self.writeFD = writeFD
    }

    deinit {
        if writeFD != readFD { _ = systemClose(writeFD) }
        _ = systemClose(readFD)
    }

    /// Sleeps until `deadline` (nil: until woken) or a ``wake()``, whichever comes first. A wake
    /// that arrived while nobody slept ends the next sleep at once, so none is lost.
    public func sleep(until deadline: MonotonicTime?) {
        let timeout: Int32
        if let deadline {
            let remaining = deadline.duration(since: .now())
            let (seconds, attoseconds) = remaining.components
            // Round up: waking a little late is harmless, waking early costs a spin.
            timeout = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        } else {
            timeout = -1
        }
        if cshim_poll_readable(readFD, -1, timeout) > 0 { cshim_wakeup_drain(readFD) }
    }

    public func wake() {
        cshim_wakeup_signal(writeFD)
    }
}
