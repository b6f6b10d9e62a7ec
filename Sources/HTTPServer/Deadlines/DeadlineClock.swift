import Dispatch

/// Fires a deadline after a delay. Injected so tests decide when a deadline passes instead of
/// waiting for it (``RequestDeadlines/clock``).
public protocol DeadlineClock: Sendable {
    /// Runs `fire` once after `delay` unless the returned cancellation ran first.
    func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void
}

/// The service's clock: a libdispatch timer per request, cancelled when the request is
/// answered (far cheaper than a sleeping Task per request).
public struct DispatchDeadlineClock: DeadlineClock {
    public init() {}

    public func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let item = DispatchWorkItem(block: fire)
        let nanoseconds = Int(min(delay.components.seconds, Int64(Int.max / 2_000_000_000))) * 1_000_000_000
            + Int(delay.components.attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds), execute: item)
        let timer = ScheduledTimer(item)
        return { timer.cancel() }
    }
}

/// A scheduled work item behind a Sendable reference.
private final class ScheduledTimer: @unchecked Sendable {
    // @unchecked Sendable is safe because DispatchWorkItem's cancel is thread-safe (it sets an
    // atomic flag) and nothing else is touched.
    private let item: DispatchWorkItem

    init(_ item: DispatchWorkItem) { self.item = item }

    func cancel() { item.cancel() }
}
