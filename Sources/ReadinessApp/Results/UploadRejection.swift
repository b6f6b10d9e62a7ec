import Foundation
import HTTPServer

/// Why the store refused one upload; the writer rolls back only that upload's savepoint and
/// answers its request with the matching problem document.
enum UploadRejection: Error, Sendable {
    /// run_ids uploaded before with other content, as (pointer, run_id).
    case conflicts([(pointer: String, runID: UUID)])
    case siteArchived(UUID)
    case siteMissing(UUID)
    /// The agent's result budget is spent (Limits); the results are not stored.
    case rateLimited(RateBudget, retryAfterSeconds: Int)

    var httpError: HTTPError {
        switch self {
        case .conflicts(let conflicts):
            let count = conflicts.count == 1 ? "1 result reuses" : "\(conflicts.count) results reuse"
            return HTTPError(
                status: .conflict, detail: "\(count) a run_id with different content; nothing was stored",
                problem: ProblemTypes.runIDConflict,
                extensions: ["errors": .array(conflicts.map {
                    ["pointer": .string($0.pointer),
                     "detail": .string("\($0.runID.uuidString.lowercased()) was uploaded before with different content")]
                })])
        case .siteArchived(let id):
            return HTTPError(
                status: .conflict, detail: "site \(id.uuidString.lowercased()) is archived and accepts no results",
                problem: ProblemTypes.siteArchived)
        case .siteMissing(let id):
            return DatabaseErrors.problem(SiteNotFound(id.uuidString.lowercased()))
        case .rateLimited(let budget, let seconds):
            let perHour = budget.perSecond * 3600
            return RateLimitedError.make(
                budget, retryAfterSeconds: seconds,
                detail: "this agent uploaded more than its budget of \(String(format: "%g", perHour)) results an hour (up to \(Int(budget.capacity)) at once); nothing was stored; retry in \(seconds) s")
        }
    }
}
