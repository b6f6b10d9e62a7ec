import JSON
import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct ResultPartitionsTests {
    @Test func aPartitionDroppedBehindTheCacheIsMadeAgainAtTheNextCheck() async throws {
        try await LiveService.with { live in
            let january = try #require(RFC3339Timestamp.parse("2026-01-15T10:00:00Z"))
            let partitions = ResultPartitions(database: live.database, recheckAfter: .milliseconds(300))
            func exists() async throws -> Bool {
                try await live.database.query("SELECT to_regclass('results_2026_01') IS NOT NULL AS e")[0].decode(Bool.self, column: "e")
            }
            #expect(!partitions.areKnown(for: [january]))
            try await partitions.ensure(for: [january])
            #expect(try await exists())
            #expect(partitions.areKnown(for: [january]))

            try await live.database.execute("DROP TABLE results_2026_01")
            #expect(partitions.areKnown(for: [january]), "the cache has not looked again yet")
            try await Task.sleep(for: .milliseconds(400))
            #expect(!partitions.areKnown(for: [january]), "past the recheck")
            try await partitions.ensure(for: [january])
            #expect(try await exists(), "made again")
            #expect(partitions.areKnown(for: [january]))
        }
    }
}
