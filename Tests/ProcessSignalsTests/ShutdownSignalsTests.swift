import Foundation
import ProcessSignals
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The self-pipe forwarding for real: a signal sent to this process reaches the handler, once.
/// SIGUSR2 rather than SIGTERM so that a failure here cannot end the test run.
@Suite struct ShutdownSignalsTests {
    @Test func theFirstSignalReachesTheHandlerAndLaterOnesAreDropped() throws {
        let received = Mutex<[Int32]>([])
        let first = DispatchSemaphore(value: 0)
        try ShutdownSignals.forward([SIGUSR2]) { signal in
            received.withLock { $0.append(signal) }
            first.signal()
        }
        kill(getpid(), SIGUSR2)
        #expect(first.wait(timeout: .now() + .seconds(5)) == .success)
        kill(getpid(), SIGUSR2)
        // The second signal is read and dropped; nothing can announce that, so it gets a moment.
        Thread.sleep(forTimeInterval: 0.2)
        #expect(received.withLock { $0 } == [SIGUSR2])
    }
}
