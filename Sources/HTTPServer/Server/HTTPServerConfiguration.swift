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
    /// Told of every request or connection the server turns away itself, before any route or
    /// middleware sees it (for metrics). Runs on a loop thread: it must be quick.
    public var onRefusal: (@Sendable (ServerRefusal) -> Void)?

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

/// What the server turned away on its own.
public enum ServerRefusal: Sendable, Equatable {
    /// A malformed, over-limit or too slow request, answered with this status and closed
    /// (400, 408, 413, 414, 431, 501, 505).
    case answered(HTTPStatus)
    /// A new connection closed at once: `maxConnections` were open and none of this loop's was
    /// idle, or the server was draining.
    case connectionClosed
    /// An idle keep-alive connection closed to make room for a new one at `maxConnections`.
    case idleConnectionClosed
}
