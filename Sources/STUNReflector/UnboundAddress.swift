import Sockets

/// An address of ``ReflectorConfiguration/listenWherePermitted`` the reflector could not bind,
/// and why (for the start's warning and the service's readiness report).
public struct UnboundAddress: Sendable, Equatable {
    public var address: SocketAddress
    /// The bind's failure, e.g. "bind failed: Permission denied (errno 13)".
    public var reason: String

    public init(address: SocketAddress, reason: String) {
        self.address = address
        self.reason = reason
    }
}
