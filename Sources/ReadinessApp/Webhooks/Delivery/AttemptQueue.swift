import Foundation

/// A round's attempts still to make, taken one at a time by its sending lanes (each lane a
/// thread that sends, waits for the answer, and takes the next), so that at most one attempt
/// per lane is in flight and a lane held up by a slow receiver leaves the rest to the others.
final class AttemptQueue: @unchecked Sendable {  // `next` guarded by `lock`
    typealias Attempt = (event: ClaimedEvent, body: [UInt8])

    private let attempts: [Attempt]
    private let lock = NSLock()
    private var nextIndex = 0

    init(_ attempts: [Attempt]) {
        self.attempts = attempts
    }

    var count: Int { attempts.count }

    /// The next attempt not yet taken by any lane; nil when all are.
    func take() -> Attempt? {
        lock.withLock {
            guard nextIndex < attempts.count else { return nil }
            defer { nextIndex += 1 }
            return attempts[nextIndex]
        }
    }
}
