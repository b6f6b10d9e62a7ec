/// How the body is delimited (RFC 9112 §6.3).
enum BodyFraming: Equatable, Sendable {
    case none
    case length(Int)
    case chunked
}

/// A parsed and validated request head: the request handlers will see (still without its
/// body) plus what the connection needs to read the body and frame the response.
///
/// The request is built by the parser and moved, not copied field by field, on its way to the
/// handler; the other fields are plain values.
struct RequestHead: Sendable {
    var request: HTTPRequest
    var framing: BodyFraming
    /// RFC 9112 §9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`.
    var keepAlive: Bool
    /// `Expect: 100-continue` (RFC 9110 §10.1.1).
    var expectsContinue: Bool

    var method: HTTPMethod { request.method }
    var target: String { request.target }
    var path: String { request.path }
    var version: HTTPVersion { request.version }
    var headers: HTTPHeaders { request.headers }
}
