import Sockets

/// Where the reflector listens and what it allows.
public struct ReflectorConfiguration: Sendable {
    /// One UDP socket per address; port 0 lets the kernel choose.
    public var listen: [SocketAddress]
    public var limits: ReflectorLimits
    /// How often the counters are logged at debug level while they change.
    public var counterLogInterval: Duration = .seconds(60)

    public init(listen: [SocketAddress], limits: ReflectorLimits = ReflectorLimits()) {
        self.listen = listen
        self.limits = limits
    }
}
