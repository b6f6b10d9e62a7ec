import Foundation

/// Why the store refused one upload; the writer rolls back only that upload's savepoint and
/// answers its request with the matching problem document.
enum UploadRejection: Error, Sendable {
    /// run_ids uploaded before with other content, as (pointer, run_id).
    case conflicts([(pointer: String, runID: UUID)])
    case siteArchived(UUID)
    case siteMissing(UUID)
    /// The agent's result budget is spent (Limits); the results are not stored.
    case rateLimited(RateBudget, retryAfterSeconds: Int)
}
