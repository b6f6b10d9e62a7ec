import Foundation
import HTTPServer

/// Turns `Authorization: Bearer …` into a ``Principal`` and enforces scopes.
///
/// Lookups are cached for `cacheTTL` per token hash, so a hot read path costs no database
/// round trip; the price is that a revoked token keeps working on a replica for at most that
/// long. A token in steady use is looked up again in the background once three quarters of
/// that time have passed, so its requests never wait for the database (an agent uploading
/// every few hundred milliseconds would otherwise pay two round trips and a commit every
/// `cacheTTL`); the bound is kept, as no entry is served past its own expiry. The cache is
/// derived state only: a replica that lacks it asks PostgreSQL.
final class Authenticator: Sendable {
    private let store: any TokenStore
    private let cache: PrincipalCache
    private let clock: @Sendable () -> Date
    /// Each token's request budget (Limits/RequestBudgets); nil: unlimited.
    private let requests: RequestBudgets?

    init(store: any TokenStore, cacheTTL: TimeInterval = 5, clock: @escaping @Sendable () -> Date = Date.init,
         requests: RequestBudgets? = nil) {
        self.store = store
        self.requests = requests
        self.cache = PrincipalCache(ttl: cacheTTL)
        self.clock = clock
    }

    /// The caller, if its token grants `scope`; 401 without a valid token, 403 without the scope.
    func require(_ scope: Scope, for request: HTTPRequest) async throws -> Principal {
        let principal = try await authenticate(request)
        try Self.check(principal, grants: scope)
        return principal
    }

    /// ``require(_:for:)`` without waiting: the caller as the cache knows it, or nil when its
    /// token is not cached (then ask ``require(_:for:)``, which looks it up). Throws what
    /// `require` throws for a missing or malformed header or a missing scope. For handlers
    /// that run on the event loop and must not wait for the database.
    func requireFromCache(_ scope: Scope, for request: HTTPRequest) throws -> Principal? {
        let hash = try Self.tokenHash(of: request)
        guard let principal = cachedPrincipal(hash, now: clock()) else { return nil }
        try Self.check(principal, grants: scope)
        if let requests, !requests.spendFromLease(principal.tokenID) { return nil }
        return principal
    }

    /// The caller, once its request was counted against its token's budget (429 when spent).
    func authenticate(_ request: HTTPRequest) async throws -> Principal {
        let principal = try await identify(request)
        try await requests?.spend(principal.tokenID)
        return principal
    }

    private func identify(_ request: HTTPRequest) async throws -> Principal {
        let hash = try Self.tokenHash(of: request)
        let now = clock()
        if let principal = cachedPrincipal(hash, now: now) { return principal }
        guard let principal = try await store.principal(forHash: hash, now: now) else {
            throw Self.unauthorized("the token is not valid, revoked or expired", invalid: true)
        }
        // last_used_at is advisory: recorded when the cache is refilled, not on every request.
        try? await store.touch(tokenID: principal.tokenID, at: now)
        cache.store(principal, for: hash, now: now)
        return principal
    }

    /// The hash of the request's bearer token; 401 when there is none or it is malformed.
    private static func tokenHash(of request: HTTPRequest) throws -> [UInt8] {
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
        return APIToken.hash(token)
    }

    /// The cached principal, starting its background lookup when that is due.
    private func cachedPrincipal(_ hash: [UInt8], now: Date) -> Principal? {
        guard let cached = cache.cached(hash, now: now) else { return nil }
        if cached.refreshDue { Task { await self.refresh(hash) } }
        return cached.principal
    }

    private static func check(_ principal: Principal, grants scope: Scope) throws {
        guard principal.scope.grants(scope) else {
            throw HTTPError(
                status: .forbidden, detail: "this operation needs a token with the '\(scope.rawValue)' scope",
                problem: ProblemTypes.forbidden)
        }
    }

    /// The background lookup of a cached token: a revoked or expired one is dropped at once;
    /// when the database cannot answer, the entry still expires on time and a later request
    /// tries again.
    private func refresh(_ hash: [UInt8]) async {
        let now = clock()
        do {
            guard let principal = try await store.principal(forHash: hash, now: now) else { return cache.remove(hash) }
            try? await store.touch(tokenID: principal.tokenID, at: now)
            cache.store(principal, for: hash, now: now)
        } catch {
            cache.refreshFailed(hash)
        }
    }

    /// RFC 6750 §3: the challenge names the realm, and `invalid_token` when one was sent.
    private static func unauthorized(_ detail: String, invalid: Bool) -> HTTPError {
        let challenge = invalid ? #"Bearer realm="readiness", error="invalid_token""# : #"Bearer realm="readiness""#
        return HTTPError(
            status: .unauthorized, detail: detail, problem: ProblemTypes.unauthorized,
            headers: ["WWW-Authenticate": challenge])
    }
}

/// Principals by token hash, each for a short time. Bounded: when full it starts over, which
/// costs one database round trip per token rather than unbounded memory.
final class PrincipalCache: @unchecked Sendable {  // all state behind `lock`
    private struct Entry {
        let principal: Principal
        let expires: Date
        /// From here on the next request starts a background lookup (one at a time).
        let refreshAt: Date
        var refreshing = false
    }

    private let lock = NSLock()
    private var entries: [[UInt8]: Entry] = [:]
    private let ttl: TimeInterval
    private let capacity: Int

    init(ttl: TimeInterval, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func lookup(_ hash: [UInt8], now: Date) -> Principal? { cached(hash, now: now)?.principal }

    /// The principal while its entry lasts, and whether this caller is the one to look it up
    /// again now: true once per entry, after three quarters of its time.
    func cached(_ hash: [UInt8], now: Date) -> (principal: Principal, refreshDue: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[hash], entry.expires > now else { return nil }
        let due = !entry.refreshing && now >= entry.refreshAt
        if due {
            entry.refreshing = true
            entries[hash] = entry
        }
        return (entry.principal, due)
    }

    func store(_ principal: Principal, for hash: [UInt8], now: Date) {
        guard ttl > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity && entries[hash] == nil { entries.removeAll(keepingCapacity: true) }
        entries[hash] = Entry(principal: principal, expires: now.addingTimeInterval(ttl), refreshAt: now.addingTimeInterval(ttl * 0.75))
    }

    func remove(_ hash: [UInt8]) {
        lock.withLock { _ = entries.removeValue(forKey: hash) }
    }

    /// A background lookup failed: the next request past `refreshAt` may try again.
    func refreshFailed(_ hash: [UInt8]) {
        lock.withLock { entries[hash]?.refreshing = false }
    }
}
