/// How the body is delimited (RFC 9112 §6.3).
enum BodyFraming: Equatable, Sendable {
    case none
    case length(Int)
    case chunked
}

/// What the parser learns about a request besides the ``HTTPRequest`` itself: how to read its
/// body and whether the connection persists.
///
/// Kept apart from the request (plain values only) so the request can be moved from the parser
/// to the handler without a copy of it and its strings.
struct RequestFraming: Equatable, Sendable {
    var body: BodyFraming = .none
    /// RFC 9112 §9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`.
    var keepAlive = true
    /// `Expect: 100-continue` (RFC 9110 §10.1.1).
    var expectsContinue = false
}
