import Foundation
import HTTPServer
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct AuthTests {
    @Test func generatedTokensAreWellFormedDistinctAndHashTo32Bytes() throws {
        let first = try APIToken.generate()
        let second = try APIToken.generate()
        #expect(first != second)
        #expect(APIToken.isWellFormed(first))
        #expect(APIToken.hash(first).count == 32)
        #expect(APIToken.hash(first) != APIToken.hash(second))
        #expect(APIToken.constantTimeEqual(APIToken.hash(first), APIToken.hash(first)))
        #expect(!APIToken.constantTimeEqual(APIToken.hash(first), APIToken.hash(second)))
    }

    @Test(arguments: ["", "rdy_", "rdy_short", "xyz_" + String(repeating: "a", count: 43), "rdy_" + String(repeating: "!", count: 43)])
    func malformedTokensAreRefusedBeforeAnyLookup(token: String) {
        #expect(!APIToken.isWellFormed(token))
    }

    @Test(arguments: [
        (Scope.admin, Scope.admin, true), (.admin, .read, true), (.admin, .agent, false),
        (.read, .read, true), (.read, .admin, false), (.read, .agent, false),
        (.agent, .agent, true), (.agent, .read, false), (.agent, .admin, false),
    ])
    func scopesGrantWhatTheySay(held: Scope, required: Scope, granted: Bool) {
        #expect(held.grants(required) == granted)
    }

    @Test func specIsServedWithoutAToken() async throws {
        try await LiveService.with { live in
            let spec = try await live.client.get("/openapi.yaml")
            #expect(spec.status == 200)
            #expect(spec.header("Content-Type") == "application/yaml")
            #expect(spec.text.hasPrefix("openapi: 3.1"))
        }
    }
}

@Suite struct PrincipalCacheTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func principal() -> Principal { Principal(tokenID: UUID(), scope: .read) }

    @Test func entriesExpireAfterTheirTTL() {
        let cache = PrincipalCache(ttl: 5)
        let held = principal()
        cache.store(held, for: [1], now: start)
        #expect(cache.lookup([1], now: start.addingTimeInterval(4.9)) == held)
        #expect(cache.lookup([1], now: start.addingTimeInterval(5)) == nil)
    }

    @Test func aZeroTTLCachesNothing() {
        let cache = PrincipalCache(ttl: 0)
        cache.store(principal(), for: [1], now: start)
        #expect(cache.lookup([1], now: start) == nil)
    }

    @Test func aLookupIsDueOnceAfterThreeQuartersOfTheTTLAndNeverPastExpiry() {
        let cache = PrincipalCache(ttl: 4)
        let held = principal()
        cache.store(held, for: [1], now: start)
        #expect(cache.cached([1], now: start.addingTimeInterval(2.9))?.refreshDue == false)
        #expect(cache.cached([1], now: start.addingTimeInterval(3))?.refreshDue == true)
        #expect(cache.cached([1], now: start.addingTimeInterval(3.5))?.refreshDue == false)
        cache.refreshFailed([1])
        #expect(cache.cached([1], now: start.addingTimeInterval(3.6))?.refreshDue == true)
        #expect(cache.cached([1], now: start.addingTimeInterval(4)) == nil)
        cache.store(held, for: [1], now: start.addingTimeInterval(3.7))
        #expect(cache.cached([1], now: start.addingTimeInterval(5))?.refreshDue == false)
        cache.remove([1])
        #expect(cache.lookup([1], now: start.addingTimeInterval(5)) == nil)
    }

    @Test func aFullCacheStartsOverInsteadOfGrowing() {
        let cache = PrincipalCache(ttl: 60, capacity: 2)
        cache.store(principal(), for: [1], now: start)
        cache.store(principal(), for: [2], now: start)
        let third = principal()
        cache.store(third, for: [3], now: start)
        #expect(cache.lookup([1], now: start) == nil)
        #expect(cache.lookup([2], now: start) == nil)
        #expect(cache.lookup([3], now: start) == third)
    }
}

/// The authenticator against a token store that counts its lookups and can revoke.
@Suite struct AuthenticatorRefreshTests {
    final class CountingStore: TokenStore, @unchecked Sendable {  // test-only; guarded by `lock`
        let lock = NSLock()
        var principal: Principal?
        var lookups = 0

        init(_ principal: Principal?) { self.principal = principal }

        func principal(forHash hash: [UInt8], now: Date) async throws -> Principal? {
            lock.withLock {
                lookups += 1
                return principal
            }
        }

        func touch(tokenID: UUID, at: Date) async throws {}
        var count: Int { lock.withLock { lookups } }
        func revoke() { lock.withLock { principal = nil } }
    }

    final class Clock: @unchecked Sendable {  // test-only; guarded by `lock`
        let lock = NSLock()
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        func advance(_ seconds: TimeInterval) { lock.withLock { now += seconds } }
        func read() -> Date { lock.withLock { now } }
    }

    static func request(_ token: String) -> HTTPRequest {
        HTTPRequest(method: .get, target: "/v1/sites", headers: ["Authorization": "Bearer \(token)"])
    }

    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// In steady use a token is looked up again in the background, its requests answered from
    /// the cache meanwhile; once the store says it is revoked, the next request is refused.
    @Test func steadyUseRefreshesInTheBackgroundAndRevocationStillApplies() async throws {
        let token = try APIToken.generate()
        let store = CountingStore(Principal(tokenID: UUID(), scope: .read))
        let clock = Clock()
        let authenticator = Authenticator(store: store, cacheTTL: 4, clock: { clock.read() })
        _ = try await authenticator.authenticate(Self.request(token))
        #expect(store.count == 1)
        clock.advance(2)
        _ = try await authenticator.authenticate(Self.request(token))
        #expect(store.count == 1)
        clock.advance(1.5)  // past three quarters of the TTL: answered from the cache, looked up behind
        _ = try await authenticator.authenticate(Self.request(token))
        try await Self.eventually { store.count == 2 }
        #expect(store.count == 2)
        clock.advance(2)  // the original entry would have expired; the refreshed one holds
        _ = try await authenticator.authenticate(Self.request(token))
        #expect(store.count == 2)
        store.revoke()
        clock.advance(1.5)
        _ = try await authenticator.authenticate(Self.request(token))  // still inside its TTL
        try await Self.eventually { store.count == 3 }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: HTTPError.self) { try await authenticator.authenticate(Self.request(token)) }
    }
}
