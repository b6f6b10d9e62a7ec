/// Problem type URIs (RFC 9457 §3.1.1). Stable: clients may switch on them.
enum ProblemTypes {
    static let base = "https://readiness.example/problems/"
    static let databaseUnavailable = base + "database-unavailable"
    static let unauthorized = base + "unauthorized"
    static let forbidden = base + "forbidden"
    static let notFound = base + "not-found"
    static let invalidRequest = base + "invalid-request"
    static let validation = base + "validation-failed"
    static let conflict = base + "conflict"
    static let unsupportedMediaType = base + "unsupported-media-type"
    /// Two versions of one policy were stored at the same moment (409); sending again works.
    static let policyVersionConflict = base + "policy-version-conflict"
    static let runIDConflict = base + "run-id-conflict"
    static let payloadTooLarge = base + "payload-too-large"
    static let siteArchived = base + "site-archived"
}
