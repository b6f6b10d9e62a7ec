import Foundation
import Sockets
import Testing

@Suite struct ReusedThreadsTests {
    /// Calls one after another run on one thread: each finds the last one's thread idle.
    @Test func sequentialCallsShareOneThread() async throws {
        let threads = ReusedThreads(name: "test-reused", idleLifetime: .seconds(60))
        var seen = Set<pthread_t>()
        for _ in 0..<50 {
            seen.insert(try await threads.run { pthread_self() })
        }
        #expect(seen.count == 1)
        #expect(threads.threadCount == 1)
    }

    /// Blocking calls never wait for each other: 8 at once each block until all 8 have begun,
    /// which only 8 threads running at the same time can satisfy.
    @Test func concurrentCallsEachGetAThread() async throws {
        let threads = ReusedThreads(name: "test-reused", idleLifetime: .seconds(60))
        let started = NSCondition()
        nonisolated(unsafe) var begun = 0
        let allBegan = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await threads.run {
                        started.lock()
                        defer { started.unlock() }
                        begun += 1
                        started.broadcast()
                        let giveUp = Date(timeIntervalSinceNow: 30)
                        while begun < 8, started.wait(until: giveUp) {}
                        return begun >= 8
                    }
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(allBegan)
        #expect(threads.threadCount == 8)
        // Kept: the next 8 calls at once start no thread.
        _ = try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await threads.run {} } }
            try await group.waitForAll()
        }
        #expect(threads.threadCount == 8)
    }

    /// A call's error reaches its caller, and the thread stays usable.
    @Test func anErrorIsThrownToTheCaller() async throws {
        struct Failure: Error {}
        let threads = ReusedThreads(name: "test-reused", idleLifetime: .seconds(60))
        await #expect(throws: Failure.self) { try await threads.run { throw Failure() } }
        #expect(try await threads.run { 7 } == 7)
        #expect(threads.threadCount == 1)
    }

    /// With no idle lifetime a thread leaves as soon as it has nothing to do.
    @Test func idleThreadsLeave() async throws {
        let threads = ReusedThreads(name: "test-reused", idleLifetime: .zero)
        for _ in 0..<3 { _ = try await threads.run { 1 } }
        // The thread returns its call's result before it leaves: wait for it to go.
        for _ in 0..<10_000 where threads.threadCount > 0 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(threads.threadCount == 0)
    }
}
