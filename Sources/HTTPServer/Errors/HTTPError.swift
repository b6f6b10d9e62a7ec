import JSON
/// An error that carries the status it should be answered with. Thrown from handlers or
/// middleware, it becomes an RFC 9457 problem document (see ``ProblemDocument``).
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    /// Human-readable explanation for this occurrence, returned to the client (RFC 9457 §3.1.4).
    public var detail: String?
    /// A URI reference identifying the problem type. When nil, the responder's
    /// ``ServerProblemTypes`` entry for the status gives type and title, and without one it is
    /// `about:blank` (RFC 9457 §4.2.1).
    public var type: String?
    /// Defaults to the status reason phrase (RFC 9457 §3.1.3).
    public var title: String?
    /// Extra response fields, e.g. `Allow` on 405 or `Retry-After` on 503.
    public var headers: HTTPHeaders
    /// Extension members (RFC 9457 §3.2), e.g. `["errors": [["field": "name"]]]`.
    public var extensions: [String: JSONValue]

    public init(
        status: HTTPStatus, detail: String? = nil, type: String? = nil, title: String? = nil,
        headers: HTTPHeaders = [:], extensions: [String: JSONValue] = [:]
    ) {
        self.status = status
        self.detail = detail
        self.type = type
        self.title = title
        self.headers = headers
        self.extensions = extensions
    }

    public var description: String {
        "HTTPError(\(status)\(detail.map { ": \($0)" } ?? ""))"
    }
}
