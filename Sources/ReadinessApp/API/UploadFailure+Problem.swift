import Foundation
import HTTPServer

/// Ingest's refusals as problem documents, for `DatabaseErrors.translated`: storage throws
/// `UploadRejection` and `UploadFailure`, and never builds an HTTP answer itself.
extension UploadRejection {
    var problem: HTTPError {
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

extension UploadFailure {
    var problem: HTTPError {
        switch self {
        case .rejected(let rejection):
            return rejection.problem
        case .contended:
            return HTTPError(
                status: .serviceUnavailable, detail: "the result could not be stored now; retry shortly",
                problem: ProblemTypes.databaseUnavailable, headers: ["Retry-After": "1"])
        case .failed:
            return HTTPError(status: .internalServerError, detail: "the result could not be stored")
        }
    }
}
