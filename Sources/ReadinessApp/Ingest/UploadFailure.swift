import Postgres

/// Why the group-commit writer stored nothing of one upload while the rest of its group
/// committed. Storage's own answer: `DatabaseErrors.translated` turns it into a problem
/// document, as it does every storage error.
enum UploadFailure: Error, Sendable {
    /// The store refused the upload (a conflicting run_id, an archived or missing site, a spent budget).
    case rejected(UploadRejection)
    /// A deadlock, lock timeout or serialization failure of this one upload: retrying helps.
    case contended
    /// Anything else: our fault. Its text was logged where it happened, never answered.
    case failed

    init(_ error: any Error) {
        if let rejection = error as? UploadRejection {
            self = .rejected(rejection)
        } else if error is PostgresError {
            self = .contended
        } else {
            self = .failed
        }
    }
}
