import Foundation

/// Runs blocking calls as ``DedicatedThread`` does (never on a thread of Swift's cooperative
/// pool, and never queued behind another call: a call that finds no idle thread gets a new
/// one), but keeps each thread for further calls until it has been idle for `idleLifetime`.
///
/// Why: webhook delivery makes an attempt per event, each a blocking send and read on a kept
/// connection, hundreds a second while ingest runs on the same cores. A new thread per attempt
/// (clone, start, exit) was about a tenth of the service's delivery CPU (`perf`, issue 16).
public final class ReusedThreads: @unchecked Sendable {  // all state guarded by `condition`
    private let name: String
    private let idleLifetime: TimeInterval
    private let condition = NSCondition()
    /// Calls handed to idle threads and not yet taken.
    private var handedOver: [Call] = []
    /// Runs a caller's body on a serving thread and returns what resumes the caller with
    /// its result.
    private typealias Call = @Sendable () -> @Sendable () -> Void
    /// Threads waiting for a call, less the calls already handed to them: never negative, and
    /// a call is handed over only while it is positive, so a waiting thread takes every call.
    private var idle = 0
    private var alive = 0

    public init(name: String, idleLifetime: Duration = .seconds(5)) {
        self.name = name
        let parts = idleLifetime.components
        self.idleLifetime = max(Double(parts.seconds) + Double(parts.attoseconds) / 1e18, 0)
    }

    /// Threads running a call or waiting for one.
    public var threadCount: Int { condition.withLock { alive } }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let call: Call = {
                let result = Result { try body() }
                return { continuation.resume(with: result) }
            }
            condition.lock()
            if idle > 0 {
                idle -= 1
                handedOver.append(call)
                condition.signal()
                condition.unlock()
                return
            }
            alive += 1
            condition.unlock()
            let thread = Thread { [self] in serve(first: call) }
            thread.name = name
            thread.start()
        }
    }

    /// A thread's life: its first call, then whatever is handed over, until it waits in vain
    /// for `idleLifetime`. Each call's caller is resumed only after the thread counts itself
    /// idle, so a caller's next call finds this thread rather than starting another.
    private func serve(first call: Call) {
        var resumeCaller = call()
        condition.lock()
        while true {
            idle += 1
            condition.unlock()
            resumeCaller()
            condition.lock()
            let giveUpAt = Date(timeIntervalSinceNow: idleLifetime)
            while handedOver.isEmpty, condition.wait(until: giveUpAt) {}
            guard !handedOver.isEmpty else {
                // Timed out with nothing for it: it leaves, and no caller counts on it any more.
                idle -= 1
                alive -= 1
                condition.unlock()
                return
            }
            let next = handedOver.removeFirst()
            condition.unlock()
            resumeCaller = next()
            condition.lock()
        }
    }
}
