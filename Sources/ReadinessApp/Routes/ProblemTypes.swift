import HTTPServer

/// One kind of problem the API answers (RFC 9457): its type URI, stable for clients to switch
/// on (§3.1.1), and its title, which is the same on every occurrence (§3.1.3); the detail is
/// what varies.
struct ProblemType: Sendable, Equatable {
    let uri: String
    let title: String
}

/// Every problem type the application answers with, each with its one title.
enum ProblemTypes {
    static let base = "https://readiness.example/problems/"
    static let databaseUnavailable = ProblemType(uri: base + "database-unavailable", title: "Database unavailable")
    static let unauthorized = ProblemType(uri: base + "unauthorized", title: "Unauthorized")
    static let forbidden = ProblemType(uri: base + "forbidden", title: "Forbidden")
    static let notFound = ProblemType(uri: base + "not-found", title: "Not found")
    static let invalidRequest = ProblemType(uri: base + "invalid-request", title: "Bad request")
    static let validation = ProblemType(uri: base + "validation-failed", title: "Validation failed")
    static let unsupportedMediaType = ProblemType(uri: base + "unsupported-media-type", title: "Unsupported media type")
    /// Two versions of one policy were stored at the same moment (409); sending again works.
    static let policyVersionConflict = ProblemType(uri: base + "policy-version-conflict", title: "Policy version conflict")
    static let runIDConflict = ProblemType(uri: base + "run-id-conflict", title: "Conflicting run_id")
    static let payloadTooLarge = ProblemType(uri: base + "payload-too-large", title: "Payload too large")
    static let siteArchived = ProblemType(uri: base + "site-archived", title: "Site archived")
    /// A WebSocket handshake without the version this server speaks (426).
    static let upgradeRequired = ProblemType(uri: base + "upgrade-required", title: "Upgrade required")
}

extension HTTPError {
    /// A problem of one of the application's types, with that type's title.
    init(status: HTTPStatus, detail: String? = nil, problem: ProblemType, headers: HTTPHeaders = [:],
         extensions: [String: JSONValue] = [:]) {
        self.init(status: status, detail: detail, type: problem.uri, title: problem.title, headers: headers, extensions: extensions)
    }
}
