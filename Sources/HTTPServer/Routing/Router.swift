/// Collects routes; ``buildResponder(middleware:problemTypes:translatingErrors:)`` freezes them into an immutable
/// ``Responder``.
///
/// Closures without `await` pick the synchronous overloads and run inline on the event loop;
/// closures that `await` run as Tasks. Both go through the same middleware.
public struct Router: Sendable {
    var table: [PathPattern: [HTTPMethod: Route]] = [:]
    var order: [PathPattern] = []
    /// Method and pattern in registration order, for ``routes``.
    var registered: [RouteDescription] = []

    public init() {}

    /// Every registered route (method and path pattern as written, e.g. `/v1/sites/{id}`), in
    /// registration order; HEAD is implied by GET and not listed. For comparing the router
    /// with an API description such as an OpenAPI document.
    public var routes: [(method: HTTPMethod, path: String)] {
        registered.map { (method: $0.method, path: $0.path) }
    }

    public mutating func on(_ method: HTTPMethod, _ path: String, bodyLimit: Int? = nil, handler: @escaping SyncHandler) {
        add(method, path, Route(handler: .inline(handler), bodyLimit: bodyLimit))
    }

    public mutating func on(_ method: HTTPMethod, _ path: String, bodyLimit: Int? = nil, handler: @escaping AsyncHandler) {
        add(method, path, Route(handler: .async(handler), bodyLimit: bodyLimit))
    }

    /// A route whose large bodies are read only once `admission` accepted the request's head
    /// (see ``AdmissionCheck``); small bodies are read at once, and the handler still decides.
    public mutating func on(
        _ method: HTTPMethod, _ path: String, bodyLimit: Int? = nil, admission: @escaping AdmissionCheck,
        handler: @escaping AsyncHandler
    ) {
        add(method, path, Route(handler: .async(handler), bodyLimit: bodyLimit, admission: admission))
    }

    /// A route whose handler starts inline on the event loop and answers later through a
    /// ``ResponseSink``, from whatever thread finishes the work.
    ///
    /// Use it when the handler hands its work to a thread of its own that can answer directly
    /// (a group-commit writer, say): the request then costs two thread hops (loop → worker →
    /// loop) instead of the four of an async handler (loop → pool → worker → pool → loop).
    /// The handler itself runs on the loop thread, so it must not block and its CPU work
    /// delays every other connection of that loop: keep it to cached lookups and small,
    /// bounded work, and start a Task (answering through the same sink) for anything that
    /// must wait. `admission`, when given, works as for async routes.
    public mutating func on(
        _ method: HTTPMethod, _ path: String, bodyLimit: Int? = nil, admission: AdmissionCheck? = nil,
        deferred handler: @escaping DeferredHandler
    ) {
        add(method, path, Route(handler: .deferred(handler), bodyLimit: bodyLimit, admission: admission))
    }

    /// Gives the route registered for `method` and `path` a deadline of its own instead of the
    /// responder's: for work that is long by nature (a fleet-wide computation), where the
    /// default would cut every large answer short. Does nothing for a route not registered.
    public mutating func setDeadline(_ timeout: Duration, for method: HTTPMethod, _ path: String) {
        let pattern = PathPattern(path)
        table[pattern]?[method]?.deadline = timeout
    }

    private mutating func add(_ method: HTTPMethod, _ path: String, _ route: Route) {
        var route = route
        route.pattern = path
        let pattern = PathPattern(path)
        if table[pattern] == nil { order.append(pattern) }
        if let replaced = table[pattern]?[method] {
            route.index = replaced.index
        } else {
            route.index = registered.count
            registered.append(RouteDescription(method: method, path: path))
        }
        table[pattern, default: [:]][method] = route
    }

    /// `problemTypes` types the faults the HTTP layer answers itself (see ``ServerProblemTypes``);
    /// `translatingErrors` maps every error thrown below before it is answered (see
    /// ``ErrorTranslation``).
    public func buildResponder(
        middleware: [any Middleware] = [], problemTypes: ServerProblemTypes = ServerProblemTypes(),
        translatingErrors: ErrorTranslation? = nil
    ) -> Responder {
        Responder(
            table: RouteTable(routes: table, order: order), middleware: middleware, registered: registered,
            problemTypes: problemTypes, translatingErrors: translatingErrors)
    }
}

/// One entry of ``Router/routes``.
struct RouteDescription: Sendable {
    var method: HTTPMethod
    var path: String
}

extension Router {
    public mutating func get(_ path: String, handler: @escaping SyncHandler) {
        on(.get, path, handler: handler)
    }

    public mutating func get(_ path: String, handler: @escaping AsyncHandler) {
        on(.get, path, handler: handler)
    }

    public mutating func post(_ path: String, bodyLimit: Int? = nil, handler: @escaping SyncHandler) {
        on(.post, path, bodyLimit: bodyLimit, handler: handler)
    }

    public mutating func post(_ path: String, bodyLimit: Int? = nil, handler: @escaping AsyncHandler) {
        on(.post, path, bodyLimit: bodyLimit, handler: handler)
    }

    public mutating func put(_ path: String, bodyLimit: Int? = nil, handler: @escaping SyncHandler) {
        on(.put, path, bodyLimit: bodyLimit, handler: handler)
    }

    public mutating func put(_ path: String, bodyLimit: Int? = nil, handler: @escaping AsyncHandler) {
        on(.put, path, bodyLimit: bodyLimit, handler: handler)
    }

    public mutating func patch(_ path: String, bodyLimit: Int? = nil, handler: @escaping SyncHandler) {
        on(.patch, path, bodyLimit: bodyLimit, handler: handler)
    }

    public mutating func patch(_ path: String, bodyLimit: Int? = nil, handler: @escaping AsyncHandler) {
        on(.patch, path, bodyLimit: bodyLimit, handler: handler)
    }

    public mutating func delete(_ path: String, handler: @escaping SyncHandler) {
        on(.delete, path, handler: handler)
    }

    public mutating func delete(_ path: String, handler: @escaping AsyncHandler) {
        on(.delete, path, handler: handler)
    }
}
