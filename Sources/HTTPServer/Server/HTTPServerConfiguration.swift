import Foundation
import Sockets

/// Where and how the server listens.
public struct HTTPServerConfiguration: Sendable {
    public var host: String
    /// 0 binds an ephemeral port; ``HTTPServer/start()`` returns the real one.
    public var port: Int
    /// One loop thread per core by default, each with its own `SO_REUSEPORT` listener.
    public var eventLoops: Int
    public var limits: HTTPLimits
    /// `epoll` on Linux, `poll` elsewhere; `.poll` on Linux exercises the portable path.
    public var pollerBackend: PollerBackend
    public var listenBacklog: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080,
        eventLoops: Int = ProcessInfo.processInfo.activeProcessorCount,
        limits: HTTPLimits = .default, pollerBackend: PollerBackend = .platformDefault,
        listenBacklog: Int = 1024
    ) {
        self.host = host
        self.port = port
        self.eventLoops = max(1, eventLoops)
        self.limits = limits
        self.pollerBackend = pollerBackend
        self.listenBacklog = listenBacklog
    }

    /// Timeouts are checked on each loop tick, so the tick is a fraction of the shortest one.
    var tickInterval: Duration {
        let shortest = [limits.headerReadTimeout, limits.idleTimeout, limits.bodyReadTimeout, limits.lingerTimeout]
            .min() ?? .seconds(1)
        return min(max(shortest / 4, .milliseconds(10)), .milliseconds(250))
    }
}
