import Foundation
import Postgres

/// The per-token request budget (`READINESS_RATE_REQUESTS_PER_S`, `READINESS_RATE_REQUEST_BURST`),
/// kept in PostgreSQL so replicas share it. Not every request asks the database: a replica
/// takes a small lease of requests at once and spends it locally for up to a second. Unspent
/// leases lapse (they are never handed back), so a token gets slightly less than its budget
/// across replicas, never more.
final class RequestBudgets: @unchecked Sendable {  // `leases` behind `lock`
    private struct Lease {
        var remaining: Int
        let expires: Date
    }

    let budget: RateBudget
    private let database: PostgresPool
    private let clock: @Sendable () -> Date
    /// A twentieth of a second's budget per lease at most: at 20 requests a second, one
    /// statement per 5 requests; small budgets (tests) lease one request at a time, exactly.
    private let leaseSize: Int
    private let leaseLifetime: TimeInterval = 1
    private let lock = NSLock()
    private var leases: [UUID: Lease] = [:]

    init(budget: RateBudget, database: PostgresPool, clock: @escaping @Sendable () -> Date) {
        self.budget = budget
        self.database = database
        self.clock = clock
        leaseSize = max(1, min(Int(budget.capacity / 20), Int(budget.perSecond / 4)))
    }

    /// Spends one request from this replica's lease for `token`; false when there is none left
    /// (then ``spend(_:)`` asks the database).
    func spendFromLease(_ token: UUID) -> Bool {
        let now = clock()
        return lock.withLock {
            guard var lease = leases[token], lease.remaining > 0, lease.expires > now else { return false }
            lease.remaining -= 1
            leases[token] = lease
            return true
        }
    }

    /// Spends one request of `token`'s budget; throws 429 when it is spent. When the database
    /// cannot answer, the request goes through: it needs the database itself, and fails there
    /// with the outage's own answer.
    func spend(_ token: UUID) async throws {
        if spendFromLease(token) { return }
        let now = clock()
        let key = "token:" + token.uuidString.lowercased()
        let (budget, size) = (budget, leaseSize)
        let granted: (RateDecision, Int)
        do {
            granted = try await database.withConnection { connection in
                let lease = try RateBudgetStatement.spend([(key, size)], of: budget, now: now, on: connection)[key]
                if case .allowed = lease { return (lease ?? .allowed(remaining: 0), size) }
                if size == 1 { return (lease ?? .allowed(remaining: 0), 1) }
                // Less than a lease is left: one request may still fit.
                return (try RateBudgetStatement.spend([(key, 1)], of: budget, now: now, on: connection)[key] ?? .allowed(remaining: 0), 1)
            }
        } catch {
            return
        }
        switch granted.0 {
        case .allowed:
            store(Lease(remaining: granted.1 - 1, expires: now.addingTimeInterval(leaseLifetime)), for: token)
        case .denied(let seconds):
            throw RateLimitedError.make(
                budget, retryAfterSeconds: seconds,
                detail: "this token sent more than \(Int(budget.perSecond)) requests a second (bursts of \(Int(budget.capacity))); retry in \(seconds) s")
        }
    }

    private func store(_ lease: Lease, for token: UUID) {
        lock.withLock {
            // Bounded: a replica serving more tokens than this within a second starts over.
            if leases.count >= 10_000 { leases.removeAll(keepingCapacity: true) }
            leases[token] = lease
        }
    }
}
