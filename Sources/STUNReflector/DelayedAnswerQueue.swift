import STUN
import Sockets
import SystemClock

/// A delayed answer waiting for its time: the encoded response, where to send it, and how many
/// copies are still to go.
struct DelayedAnswer {
    var due: MonotonicTime
    var socket: Int
    var destination: SocketAddress
    var transactionID: STUNTransactionID
    var bytes: [UInt8]
    var remaining: Int
    /// Tie-breaker so answers due at the same instant leave in the order they were scheduled.
    var sequence: UInt64
}

/// A binary min-heap of delayed answers by due time.
struct DelayedAnswerQueue {
    private var heap: [DelayedAnswer] = []

    var count: Int { heap.count }
    var nextDue: MonotonicTime? { heap.first?.due }

    mutating func insert(_ answer: DelayedAnswer) {
        heap.append(answer)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest answer if it is due at `now`.
    mutating func popDue(now: MonotonicTime) -> DelayedAnswer? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    private static func precedes(_ a: DelayedAnswer, _ b: DelayedAnswer) -> Bool {
        a.due < b.due || (a.due == b.due && a.sequence < b.sequence)
    }
}
