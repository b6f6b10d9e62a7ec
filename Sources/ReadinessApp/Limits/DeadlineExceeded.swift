import HTTPServer

/// The request deadline (`READINESS_REQUEST_DEADLINE_S`) as the service answers it: 503 with
/// Retry-After, typed `deadline-exceeded`. Handed to the HTTP layer (``RequestDeadlines``),
/// which answers it for every async and deferred route, and given to uploads the commit
/// writer drops unwritten because their deadline passed while they queued.
enum DeadlineExceeded {
    static let error = HTTPError(
        status: .serviceUnavailable,
        detail: "the service could not answer in time; retry shortly (an upload is idempotent on run_id: sending it again is safe)",
        problem: ProblemTypes.deadlineExceeded, headers: ["Retry-After": "2"])

    /// What an abandoned upload's completion gets; its client was already answered.
    static var abandoned: HTTPError { error }
}
