import CProcessShims
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGTERM / SIGINT into a call on an ordinary thread.
///
/// A real handler writes the signal number into a pipe and a dedicated thread reads it. The
/// alternative, `SIG_IGN` plus a dispatch source, loses signals on Linux: the kernel may hand a
/// process-directed signal to any thread that does not block it (an event-loop thread, say),
/// and an ignored signal delivered there is simply discarded.
public enum ShutdownSignals {
    /// Calls `handler` on a dedicated thread for the first of `signals` that arrives; later
    /// ones are read and dropped (the shutdown under way already has its deadline).
    public static func forward(_ signals: [Int32] = [SIGTERM, SIGINT], to handler: @escaping @Sendable (Int32) -> Void) throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SignalSetupError("pipe") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        // The handler must never block, even if nobody reads.
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        guard cprocess_forward_signals(writeEnd, signals, Int32(signals.count)) == 0 else {
            throw SignalSetupError("sigaction")
        }
        let thread = Thread {
            // A mask inherited from the parent process could block these signals in every
            // thread, leaving them pending forever; this thread always takes them.
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            for signal in signals { sigaddset(&unblocked, signal) }
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
            var delivered = false
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1 else { return }
                if !delivered {
                    delivered = true
                    handler(Int32(byte))
                }
            }
        }
        thread.name = "shutdown-signals"
        thread.start()
    }
}
