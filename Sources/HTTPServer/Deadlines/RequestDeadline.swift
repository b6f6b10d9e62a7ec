import Foundation

/// One request's server-side deadline. Started by the ``Responder`` for every async and deferred
/// handler when ``Responder/deadlines`` is set; handlers read it from
/// ``RequestContext/deadline`` to give up work nobody waits for any more (an upload still
/// queued for its commit, a task to cancel).
///
/// Expires at most once, and never after the request was answered.
public final class RequestDeadline: @unchecked Sendable {
    // @unchecked Sendable is safe because the mutable state is only touched under `lock`.
    private let lock = NSLock()
    private var expired = false
    private var finished = false
    private var actions: [@Sendable () -> Void] = []
    private var cancelTimer: (@Sendable () -> Void)?

    /// A deadline that expires only through ``expire()`` (tests, and the timer that owns it).
    public init() {}

    /// Whether the deadline passed before the request was answered.
    public var hasExpired: Bool { lock.withLock { expired } }

    /// Runs `action` when the deadline passes (at once if it already has); never after
    /// ``finish()``. Actions run on the timer's thread and must be quick.
    public func onExpire(_ action: @escaping @Sendable () -> Void) {
        let runNow: Bool = lock.withLock {
            if finished { return false }
            if expired { return true }
            actions.append(action)
            return false
        }
        if runNow { action() }
    }

    /// The deadline passed: runs every registered action once.
    public func expire() {
        let due: [@Sendable () -> Void] = lock.withLock {
            guard !expired, !finished else { return [] }
            expired = true
            defer { actions.removeAll() }
            return actions
        }
        for action in due { action() }
    }

    /// The request was answered: the timer is cancelled and no action runs any more.
    func finish() {
        let cancel: (@Sendable () -> Void)? = lock.withLock {
            finished = true
            actions.removeAll()
            return cancelTimer.take()
        }
        cancel?()
    }

    func setTimerCancellation(_ cancel: @escaping @Sendable () -> Void) {
        let late: Bool = lock.withLock {
            if finished { return true }
            cancelTimer = cancel
            return false
        }
        if late { cancel() }
    }
}
