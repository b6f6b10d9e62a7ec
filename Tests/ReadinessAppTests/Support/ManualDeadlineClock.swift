import Foundation
import HTTPServer

/// Request deadlines that pass only when the test calls ``fire()`` (`AppConfiguration.deadlineClock`).
final class ManualDeadlineClock: DeadlineClock, @unchecked Sendable {  // `pending` behind `lock`
    private let lock = NSLock()
    private var pending: [@Sendable () -> Void] = []
    private var asked: [Duration] = []

    func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        lock.withLock {
            pending.append(fire)
            asked.append(delay)
        }
        return {}
    }

    /// The delay of every deadline scheduled so far, in order.
    var delays: [Duration] { lock.withLock { asked } }

    /// Every deadline scheduled so far passes now (those of answered requests do nothing).
    func fire() {
        for action in lock.withLock({ defer { pending.removeAll() }; return pending }) { action() }
    }
}
