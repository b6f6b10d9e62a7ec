import Logging
import Sockets
import SystemClock

/// Per-request values handlers and middleware share.
public struct RequestContext: Sendable {
    /// Decoded path parameters, e.g. `id` for `/v1/sites/{id}`.
    public var parameters: PathParameters
    /// The matched route's pattern (`/v1/sites/{site_id}`), nil when none matched: unlike the
    /// path, a bounded set of values, fit for a metric's label.
    public let route: String?
    /// The matched route (its method and pattern) as a small number, 0 up to the count of
    /// routes registered, nil when none matched: for tables kept per route, which an integer
    /// indexes for less than hashing the pattern costs on every request.
    public let routeIndex: Int?
    /// The matched route's own deadline (`Router.setDeadline`), nil for the responder's.
    public let routeDeadline: Duration?
    /// Set by ``RequestIDMiddleware``; empty without it.
    public var requestID: String
    public var logger: Logger
    /// When the request was handed to the responder; used for access-log durations.
    public let startTime: MonotonicTime
    /// Set by the responder for async and deferred handlers when deadlines are on.
    public var deadline: RequestDeadline?

    public init(parameters: PathParameters = PathParameters(), route: String? = nil, routeIndex: Int? = nil,
                routeDeadline: Duration? = nil, requestID: String = "", logger: Logger, startTime: MonotonicTime = .now()) {
        self.routeDeadline = routeDeadline
        self.parameters = parameters
        self.route = route
        self.routeIndex = routeIndex
        self.requestID = requestID
        self.logger = logger
        self.startTime = startTime
    }
}

/// Path parameters in pattern order.
public struct PathParameters: Sendable, Sequence {
    public typealias Element = (name: String, value: String)
    private var items: [Element] = []

    public init() {}

    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    mutating func append(name: String, value: String) {
        items.append((name, value))
    }

    public func makeIterator() -> IndexingIterator<[Element]> {
        items.makeIterator()
    }
}
