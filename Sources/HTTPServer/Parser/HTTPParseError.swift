/// Why a request could not be read. Every parse error ends the connection: once framing is
/// in doubt, later bytes cannot be trusted to start a new request (RFC 9112 §11.2).
struct HTTPParseError: Error, Equatable, Sendable {
    var status: HTTPStatus
    /// Returned as the problem `detail`; describes the client's bytes, never server state.
    var reason: String

    init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}
