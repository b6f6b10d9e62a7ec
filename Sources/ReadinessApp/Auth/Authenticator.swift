import Foundation
import HTTPServer

/// Turns `Authorization: Bearer …` into a ``Principal`` and enforces scopes.
///
/// Lookups are cached for `cacheTTL` per token hash, so a hot read path costs no database
/// round trip; the price is that a revoked token keeps working on a replica for at most that
/// long. The cache is derived state only: a replica that lacks it asks PostgreSQL.
final class Authenticator: Sendable {
    private let store: any TokenStore
    private let cache: PrincipalCache
    private let clock: @Sendable () -> Date

    init(store: any TokenStore, cacheTTL: TimeInterval = 5, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.cache = PrincipalCache(ttl: cacheTTL)
        self.clock = clock
    }

    /// The caller, if its token grants `scope`; 401 without a valid token, 403 without the scope.
    func require(_ scope: Scope, for request: HTTPRequest) async throws -> Principal {
        let principal = try await authenticate(request)
        guard principal.scope.grants(scope) else {
            throw HTTPError(
                status: .forbidden, detail: "this operation needs a token with the '\(scope.rawValue)' scope",
                type: ProblemTypes.forbidden, title: "Forbidden")
        }
        return principal
    }

    func authenticate(_ request: HTTPRequest) async throws -> Principal {
        guard let header = request.headers["authorization"] else {
            throw Self.unauthorized("send the token as 'Authorization: Bearer <token>'", invalid: false)
        }
        // RFC 6750 §2.1: the scheme is case-insensitive; the token follows one space.
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Self.unauthorized("the Authorization header must use the Bearer scheme", invalid: true)
        }
        // The parser already stripped whitespace around the field value (RFC 9110 §5.5); only
        // spaces after the scheme remain. Not `trimmingCharacters`: it bridges through NSString.
        let token = String(header.dropFirst(7).drop { $0 == " " || $0 == "\t" })
        guard APIToken.isWellFormed(token) else { throw Self.unauthorized("the token is not valid", invalid: true) }
        let hash = APIToken.hash(token)
        let now = clock()
        if let cached = cache.lookup(hash, now: now) { return cached }
        guard let principal = try await store.principal(forHash: hash, now: now) else {
            throw Self.unauthorized("the token is not valid, revoked or expired", invalid: true)
        }
        // last_used_at is advisory: recorded when the cache is refilled, not on every request.
        try? await store.touch(tokenID: principal.tokenID, at: now)
        cache.store(principal, for: hash, now: now)
        return principal
    }

    /// RFC 6750 §3: the challenge names the realm, and `invalid_token` when one was sent.
    private static func unauthorized(_ detail: String, invalid: Bool) -> HTTPError {
        let challenge = invalid ? #"Bearer realm="readiness", error="invalid_token""# : #"Bearer realm="readiness""#
        return HTTPError(
            status: .unauthorized, detail: detail, type: ProblemTypes.unauthorized, title: "Unauthorized",
            headers: ["WWW-Authenticate": challenge])
    }
}

/// Principals by token hash, each for a short time. Bounded: when full it starts over, which
/// costs one database round trip per token rather than unbounded memory.
final class PrincipalCache: @unchecked Sendable {  // all state behind `lock`
    private struct Entry {
        let principal: Principal
        let expires: Date
    }

    private let lock = NSLock()
    private var entries: [[UInt8]: Entry] = [:]
    private let ttl: TimeInterval
    private let capacity: Int

    init(ttl: TimeInterval, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func lookup(_ hash: [UInt8], now: Date) -> Principal? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[hash], entry.expires > now else { return nil }
        return entry.principal
    }

    func store(_ principal: Principal, for hash: [UInt8], now: Date) {
        guard ttl > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[hash] = Entry(principal: principal, expires: now.addingTimeInterval(ttl))
    }
}
