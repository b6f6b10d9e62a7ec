import Foundation
import ReadinessServiceTestSupport
import Testing
@testable import ReadinessApp

/// The ingest's site cache reads a site in steady use again in the background before its
/// entry expires, so a change shows within the TTL and no upload waits for the read.
@Suite struct UploadSiteCacheTests {
    @Test func siteInSteadyUseIsReadAgainBehindItsUploads() async throws {
        try await LiveService.with { live in
            let id = try await live.fixtures.site(expectedUsers: 10)
            let cache = UploadSiteCache(
                directory: SiteDirectory(database: live.database), policies: PolicyCatalog(database: live.database), ttl: 4)
            let start = Date()
            func users(at offset: TimeInterval) async throws -> Int {
                try await cache.site(id, now: start.addingTimeInterval(offset)).site.parameters.expectedConcurrentUsers
            }
            #expect(try await users(at: 0) == 10)
            try await live.database.execute("UPDATE sites SET expected_users = 20 WHERE id = \(id)")
            #expect(try await users(at: 2) == 10)  // cached, not due yet
            #expect(try await users(at: 3) == 10)  // due: answered from the cache, read again behind
            var seen = 10
            for _ in 0..<200 where seen == 10 {
                try await Task.sleep(for: .milliseconds(10))
                seen = try await users(at: 3.1)
            }
            #expect(seen == 20)
            try await live.database.execute("DELETE FROM sites WHERE id = \(id)")
            _ = try await users(at: 6.1)  // due again: the read behind finds the site gone
            var gone = false
            for _ in 0..<200 where !gone {
                try await Task.sleep(for: .milliseconds(10))
                gone = (try? await users(at: 6.2)) == nil
            }
            #expect(gone)
        }
    }
}
