import JSON
import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport
import SystemClock

@Suite struct ResultPartitionsTests {
    /// Monotonic time that moves only when the test moves it: a real 300 ms recheck expired under
    /// a parallel run's load between making the partition and the first look.
    final class ManualMonotonicClock: @unchecked Sendable {  // `time` behind `lock`
        private let lock = NSLock()
        private var time = MonotonicTime(nanoseconds: 1_000_000_000)

        func advance(_ duration: Duration) { lock.withLock { time = time + duration } }
        var now: MonotonicTime { lock.withLock { time } }
    }

    @Test func aPartitionDroppedBehindTheCacheIsMadeAgainAtTheNextCheck() async throws {
        try await LiveService.with { live in
            let january = try #require(RFC3339Timestamp.parse("2026-01-15T10:00:00Z"))
            let clock = ManualMonotonicClock()
            let partitions = ResultPartitions(database: live.database, recheckAfter: .milliseconds(300), now: { clock.now })
            func exists() async throws -> Bool {
                try await live.database.query("SELECT to_regclass('results_2026_01') IS NOT NULL AS e")[0].decode(Bool.self, column: "e")
            }
            #expect(!partitions.areKnown(for: [january]))
            try await partitions.ensure(for: [january])
            #expect(try await exists())
            #expect(partitions.areKnown(for: [january]))

            try await live.database.execute("DROP TABLE results_2026_01")
            #expect(partitions.areKnown(for: [january]), "the cache has not looked again yet")
            clock.advance(.milliseconds(299))
            #expect(partitions.areKnown(for: [january]), "still inside the recheck")
            clock.advance(.milliseconds(1))
            #expect(!partitions.areKnown(for: [january]), "past the recheck")
            try await partitions.ensure(for: [january])
            #expect(try await exists(), "made again")
            #expect(partitions.areKnown(for: [january]))
        }
    }
}
