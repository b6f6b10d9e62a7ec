import Foundation
import ReadinessContract
import ReadinessScoring
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The cache on its own, with a counting loader instead of PostgreSQL.
@Suite struct AssessmentCacheTests {
    /// Counts loads and answers with whatever `next` holds.
    final class FakeStore: @unchecked Sendable {  // state behind `lock`
        private let lock = NSLock()
        private var loads = 0
        private var next: CurrentAssessment?
        let delay: Duration

        init(_ current: CurrentAssessment?, delay: Duration = .zero) {
            next = current
            self.delay = delay
        }

        func load(_ site: UUID, _ previous: CurrentAssessment?) async throws -> CurrentAssessment? {
            lock.withLock { loads += 1 }
            if delay > .zero { try await Task.sleep(for: delay) }
            return lock.withLock { next }
        }

        func answer(_ current: CurrentAssessment?) { lock.withLock { next = current } }
        var loadCount: Int { lock.withLock { loads } }
    }

    static let site = UUID()
    static let windowStart = Date(timeIntervalSince1970: 1_750_000_000)

    static func assessment(newestAt start: Date) throws -> SiteAssessment {
        let body = ResultSamples.data(ResultSamples.json(startedAt: start))
        let result = try APIJSON.decoder.decode(ProbeResult.self, from: body)
        return try BundledPolicy.sococo().assess(
            [result], site: SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600), now: start.addingTimeInterval(100))
    }

    static func current(tag: String = "v1") throws -> CurrentAssessment {
        try CurrentAssessment(site: site, stored: assessment(newestAt: windowStart), storedETag: tag)
    }

    static func cache(_ store: FakeStore, maxAge: Duration = .seconds(60)) -> AssessmentCache {
        AssessmentCache(maxAge: maxAge) { site, previous in try await store.load(site, previous) }
    }

    @Test func servesTheCachedEntryWithoutLoadingAgainWithinMaxAge() async throws {
        let store = FakeStore(try Self.current())
        let cache = Self.cache(store)
        for _ in 0..<5 { #expect(try await cache.current(Self.site)?.storedETag == "v1") }
        #expect(store.loadCount == 1)
    }

    @Test func revalidatesOnceMaxAgeHasPassedAndSeesTheNewVersion() async throws {
        let store = FakeStore(try Self.current(tag: "v1"))
        let cache = Self.cache(store, maxAge: .milliseconds(50))
        #expect(try await cache.current(Self.site)?.storedETag == "v1")
        store.answer(try Self.current(tag: "v2"))
        try await Task.sleep(for: .milliseconds(80))
        #expect(try await cache.current(Self.site)?.storedETag == "v2")
        #expect(store.loadCount == 2)
    }

    @Test func concurrentMissesShareOneLoad() async throws {
        let store = FakeStore(try Self.current(), delay: .milliseconds(50))
        let cache = Self.cache(store)
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.current(Self.site)?.storedETag } }
            for try await tag in group { #expect(tag == "v1") }
        }
        #expect(store.loadCount == 1)
    }

    @Test func unknownSiteIsNotCached() async throws {
        let store = FakeStore(nil)
        let cache = Self.cache(store)
        #expect(try await cache.current(Self.site) == nil)
        #expect(try await cache.current(Self.site) == nil)
        #expect(store.loadCount == 2)
        #expect(cache.count == 0)
    }

    @Test func invalidateMakesTheNextReadLoad() async throws {
        let store = FakeStore(try Self.current())
        let cache = Self.cache(store)
        _ = try await cache.current(Self.site)
        cache.invalidate(Self.site)
        _ = try await cache.current(Self.site)
        #expect(store.loadCount == 2)
    }

    @Test func stayWithinTheByteBudget() async throws {
        let current = try Self.current()
        let store = FakeStore(current)
        let cache = AssessmentCache(maxAge: .seconds(60), byteBudget: current.byteCount * 3) { site, previous in
            try await store.load(site, previous)
        }
        for _ in 0..<10 { _ = try await cache.current(UUID()) }
        #expect(cache.count <= 3)
    }

    @Test func staleFlipsExactlyWhenTheFreshnessWindowPassesEvenWhenCached() async throws {
        let stored = try Self.assessment(newestAt: Self.windowStart)
        let current = try CurrentAssessment(site: Self.site, stored: stored, storedETag: "v1")
        let store = FakeStore(current)
        let cache = Self.cache(store)
        let cached = try #require(try await cache.current(Self.site))
        let boundary = try #require(stored.staleAfter)
        #expect(cached.representation(at: boundary).etag == "\"v1\"")
        let after = cached.representation(at: boundary.addingTimeInterval(0.001))
        #expect(after.etag == "\"v1-stale\"")
        // `SiteAssessmentBody` requires `score`: nil below is a written null.
        let assessment = try APIBodyDecoder.shared.decode(SiteAssessmentBody.self, from: Data(after.body))
        #expect(assessment.verdict == "stale")
        #expect(assessment.score == nil)
        // The same bytes the uncached path produces at that instant.
        let direct = SiteAssessmentDocument(siteID: Self.site, assessment: stored.asOf(boundary.addingTimeInterval(5)))
        #expect(after.body == Array(try APIJSON.encoder.encode(direct)))
        #expect(store.loadCount == 1)
    }
}
