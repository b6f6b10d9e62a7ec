/// One kind of problem (RFC 9457): its type URI, stable for clients to switch on (§3.1.1), and
/// its title, the same on every occurrence (§3.1.3); the detail is what varies.
public struct ProblemType: Sendable, Hashable {
    public let uri: String
    public let title: String

    public init(uri: String, title: String) {
        self.uri = uri
        self.title = title
    }
}

/// The problem types of the faults this layer raises itself, by status: its refusals before any
/// route runs (400, 408, 413, 414, 417, 431, 501, 505), the router's 404 and 405, and the 500
/// for an error no handler described. They apply too to an ``HTTPError`` thrown without a type.
///
/// The application supplies them (``Router/buildResponder(middleware:problemTypes:translatingErrors:)``) so that a
/// fault has one type and one title whichever layer answers it: a body over the limit is the
/// same problem whether the connection refuses it before reading or a handler does after
/// inflating it. A status without an entry is `about:blank`, titled with its reason phrase
/// (RFC 9457 §4.2.1).
public struct ServerProblemTypes: Sendable {
    private let byStatus: [HTTPStatus: ProblemType]

    public init(_ byStatus: [HTTPStatus: ProblemType] = [:]) {
        self.byStatus = byStatus
    }

    public subscript(status: HTTPStatus) -> ProblemType? { byStatus[status] }
}
