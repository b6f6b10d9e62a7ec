/// A handler that may run inline on the event loop: it must be quick and must not block.
public typealias SyncHandler = @Sendable (HTTPRequest, RequestContext) throws -> HTTPResponse
/// A handler that runs as a Task on the cooperative pool.
public typealias AsyncHandler = @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse
/// A handler that runs inline on the event loop, like a ``SyncHandler``, but answers later,
/// from any thread, through its ``ResponseSink`` (exactly once; see there). For work that is
/// handed to a thread of its own (a database writer, say) whose completion can answer directly:
/// no Task on the cooperative pool, and no hop back to it before the response goes out.
public typealias DeferredHandler = @Sendable (HTTPRequest, RequestContext, ResponseSink) -> Void
/// Looks at a request's head (its body not read yet) and throws to refuse it: the error becomes
/// the response, as a handler's would, and the body is never read. For routes that accept large
/// bodies, so that a client the handler would refuse anyway (no or a bad token) cannot make the
/// server buffer its body first.
public typealias AdmissionCheck = @Sendable (HTTPRequest, RequestContext) async throws -> Void

/// How a route's handler runs.
enum RouteHandler: Sendable {
    /// Run on the loop thread with no task hop (health checks, cached documents).
    case inline(SyncHandler)
    case async(AsyncHandler)
    /// Started on the loop thread; answers through a ``ResponseSink``.
    case deferred(DeferredHandler)
}

/// One method on one path pattern.
struct Route: Sendable {
    var handler: RouteHandler
    /// Overrides ``HTTPLimits/maxBodySize`` for this route.
    var bodyLimit: Int?
    /// Runs before a body larger than ``HTTPLimits/maxBodySizeWithoutAdmission`` (or a chunked
    /// one) is read.
    var admission: AdmissionCheck? = nil
    /// The pattern it was registered under (`/v1/sites/{site_id}`); set by ``Router``.
    var pattern: String = ""
    /// Its place among the router's routes (method and pattern); set by ``Router``.
    var index = 0
    /// Overrides ``RequestDeadlines/timeout`` for this route (``Router/setDeadline(_:for:_:)``).
    var deadline: Duration?
}

/// A path pattern split into segments; `{name}` segments capture.
struct PathPattern: Hashable, Sendable {
    enum Segment: Hashable, Sendable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]
    let text: String

    init(_ text: String) {
        self.text = text
        segments = text.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    var isStatic: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// Captures parameters (percent-decoded, RFC 3986 §2.1) if `path` matches.
    func match(_ path: [Substring]) -> PathParameters? {
        guard path.count == segments.count else { return nil }
        var parameters = PathParameters()
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name):
                parameters.append(name: name, value: percentDecode(part, plusAsSpace: false))
            }
        }
        return parameters
    }
}
