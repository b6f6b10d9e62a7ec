/// How the body is delimited (RFC 9112 §6.3).
enum BodyFraming: Equatable, Sendable {
    case none
    case length(Int)
    case chunked
}

/// A parsed and validated request head.
struct RequestHead: Sendable {
    var method: HTTPMethod
    var target: String
    /// The target's path and query, split once from the bytes (see ``HTTPRequest/split(_:)``).
    var path: String
    var query: Substring
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: BodyFraming
    /// RFC 9112 §9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`.
    var keepAlive: Bool
    /// `Expect: 100-continue` (RFC 9110 §10.1.1).
    var expectsContinue: Bool
}
