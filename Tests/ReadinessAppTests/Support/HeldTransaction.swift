import Foundation
import Postgres

/// A transaction held open on its connection's own thread, after its statements ran, until
/// `release()`; it then commits. For tests that need a lock held while something else runs.
final class HeldTransaction: Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    let done: Task<Void, any Error>

    init(_ database: PostgresPool, _ statements: [PostgresQuery]) {
        let held = held, released = released
        done = Task {
            try await database.withTransaction { tx in
                for statement in statements { _ = try tx.query(statement) }
                held.signal()
                released.wait()
            }
        }
    }

    /// Returns once the statements ran, so their locks are held.
    func untilHeld() async {
        let held = held
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                held.wait()
                continuation.resume()
            }
        }
    }

    /// Lets the transaction commit; more calls than one are harmless (a later `wait` never comes).
    func release() { released.signal() }
}
