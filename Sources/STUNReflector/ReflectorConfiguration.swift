import Sockets

/// Where the reflector listens and what it allows.
public struct ReflectorConfiguration: Sendable {
    /// One UDP socket per address; port 0 lets the kernel choose. A bind failure here stops the start.
    public var listen: [SocketAddress]
    /// Addresses bound where the process may (UDP 443 needs privilege on most hosts): a bind
    /// failure leaves the address in ``STUNReflector/unboundAddresses`` instead of stopping the start.
    public var listenWherePermitted: [SocketAddress]
    public var limits: ReflectorLimits
    /// How often the counters are logged at debug level while they change.
    public var counterLogInterval: Duration = .seconds(60)

    public init(listen: [SocketAddress], listenWherePermitted: [SocketAddress] = [], limits: ReflectorLimits = ReflectorLimits()) {
        self.listen = listen
        self.listenWherePermitted = listenWherePermitted
        self.limits = limits
    }
}
