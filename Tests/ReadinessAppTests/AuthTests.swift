import Foundation
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
