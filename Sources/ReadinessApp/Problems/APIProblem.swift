import JSON
import HTTPServer

/// One problem type of the API (RFC 9457): the type and title clients see, the status it is
/// answered with, and what its page (`GET /problems/{problem_type}`) tells a developer.
struct APIProblem: Sendable, Equatable {
    /// The last segment of the type, e.g. `not-found`.
    let name: String
    let title: String
    let status: HTTPStatus
    /// When the service answers it and what a client can do; the page's text.
    let meaning: String

    /// A relative reference with the full path (RFC 9457 §3.1.1 recommends the full path when
    /// a type is relative): the same string from every replica and behind every host name, so
    /// clients can switch on it, and a page of this service once resolved against the request.
    var uri: String { ProblemTypes.pathPrefix + name }

    var type: ProblemType { ProblemType(uri: uri, title: title) }
}

extension HTTPError {
    /// A problem of one of the application's types, with that type's title.
    init(status: HTTPStatus, detail: String? = nil, problem: APIProblem, headers: HTTPHeaders = [:],
         extensions: [String: JSONValue] = [:]) {
        self.init(status: status, detail: detail, type: problem.uri, title: problem.title, headers: headers, extensions: extensions)
    }
}
