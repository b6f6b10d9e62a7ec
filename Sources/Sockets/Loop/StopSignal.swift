import Foundation

/// A one-shot signal async callers can await without blocking the cooperative pool (loop
/// exit, server shutdown).
public final class StopSignal: @unchecked Sendable {
    // @unchecked Sendable is safe because both fields are only touched under `lock`.
    private let lock = NSLock()
    private var isSignalled = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func signal() {
        lock.lock()
        isSignalled = true
        let resumed = waiters
        waiters.removeAll()
        lock.unlock()
        for waiter in resumed { waiter.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if isSignalled {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}
