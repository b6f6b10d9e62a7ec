import Foundation
import Postgres

/// Spends from `rate_budgets` (migration 0015): one statement for any number of keys, run on
/// the caller's connection, inside its transaction if it has one (an upload's budget is then
/// spent only if its results are stored).
enum RateBudgetStatement {
    /// Charges `costs` (units per key; keys distinct) against `budget` at `now`. A key over
    /// budget is left unchanged and answered with when it will have enough.
    static func spend(_ costs: [(key: String, units: Int)], of budget: RateBudget, now: Date, on connection: PostgresConnection)
        throws -> [String: RateDecision]
    {
        let seconds = now.timeIntervalSince1970
        let keys = PostgresArray(costs.map(\.key))
        let costSeconds = PostgresArray(costs.map { budget.costSeconds($0.units) })
        let tolerance = budget.toleranceSeconds
        // The CTE's upsert and the outer read of the old row see the same snapshot, so
        // `prior_tat` is the row before this statement (possibly stale under a concurrent
        // charge of the same key, which only shortens the Retry-After computed from it).
        let rows = try connection.query(PostgresQuery("""
            WITH wanted AS (
                SELECT * FROM unnest(\(keys), \(costSeconds)) AS w(key, cost_s)
            ), granted AS (
                INSERT INTO rate_budgets AS b (key, tat, tolerance_s)
                SELECT key, \(seconds)::float8 + cost_s, \(tolerance)::float8 FROM wanted ORDER BY key
                ON CONFLICT (key) DO UPDATE SET tat = GREATEST(b.tat, \(seconds)::float8) + (EXCLUDED.tat - \(seconds)::float8),
                    tolerance_s = EXCLUDED.tolerance_s
                WHERE GREATEST(b.tat, \(seconds)::float8) + (EXCLUDED.tat - \(seconds)::float8) - \(seconds)::float8
                    <= EXCLUDED.tolerance_s + 1e-6
                RETURNING key, tat
            )
            SELECT w.key, w.cost_s, g.tat AS granted_tat, b.tat AS prior_tat
            FROM wanted w LEFT JOIN granted g USING (key) LEFT JOIN rate_budgets b ON b.key = w.key
            """).prepared(as: "rate_budget_spend"))
        var decisions: [String: RateDecision] = [:]
        for row in rows {
            let key = try row.decode(String.self, column: "key")
            let cost = try row.decode(Double.self, column: "cost_s")
            if let granted = try row.decode(Double?.self, column: "granted_tat") {
                let left = (tolerance - (granted - seconds)) * budget.perSecond
                decisions[key] = .allowed(remaining: Int((left + 1e-6).rounded(.down)))
            } else {
                let prior = try row.decode(Double?.self, column: "prior_tat") ?? seconds
                // Allowed once max(tat, now') + cost - now' <= tolerance, i.e. at tat + cost - tolerance.
                let wait = max(prior, seconds) + cost - tolerance - seconds
                decisions[key] = .denied(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
        }
        return decisions
    }
}
