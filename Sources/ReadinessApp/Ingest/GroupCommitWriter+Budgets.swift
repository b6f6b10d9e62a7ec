import Foundation
import Postgres

extension GroupCommitWriter {
    /// Charges each agent's result budget (`rate_budgets`, Limits) with its uploads' results,
    /// in the group's transaction: a budget is spent only by results that are stored, and a
    /// group that rolls back gives it back. Results are counted, not requests, so a spooled
    /// batch after an outage costs what its runs would have cost one by one. Throws the first
    /// upload's ``UploadRejection/rateLimited`` when any agent is over budget (the set-based
    /// path then steps aside, and the savepoint fallback refuses only that agent's uploads).
    static func chargeResultBudgets(_ uploads: [PreparedUpload], on tx: PostgresConnection) throws {
        var costs: [String: Int] = [:]
        var budget: RateBudget?
        var now = Date.distantPast
        for upload in uploads {
            guard let agentID = upload.agentID, let uploadBudget = upload.resultBudget else { continue }
            costs["agent:" + agentID.uuidString.lowercased(), default: 0] += upload.results.count
            budget = uploadBudget
            now = max(now, upload.receivedAt)
        }
        guard let budget, !costs.isEmpty else { return }
        let decisions = try RateBudgetStatement.spend(
            costs.sorted { $0.key < $1.key }.map { (key: $0.key, units: $0.value) }, of: budget, now: now, on: tx)
        for decision in decisions.values {
            if case .denied(let seconds) = decision { throw UploadRejection.rateLimited(budget, retryAfterSeconds: seconds) }
        }
    }
}
