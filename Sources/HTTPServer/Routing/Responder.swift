import Logging

/// Routes plus middleware, frozen. Built by ``Router/buildResponder(middleware:problemTypes:translatingErrors:)``.
public struct Responder: Sendable {
    let table: RouteTable
    let middleware: [MiddlewareLink]
    let registered: [RouteDescription]
    /// The problem types of the faults the HTTP layer raises itself.
    let problemTypes: ServerProblemTypes
    /// The application's mapping of its lower layers' errors, applied to every error answered.
    let translatingErrors: ErrorTranslation?
    /// The deadline of every async and deferred request; nil: none (Responder+Deadline).
    public var deadlines: RequestDeadlines?

    init(table: RouteTable, middleware: [any Middleware], registered: [RouteDescription] = [],
         problemTypes: ServerProblemTypes = ServerProblemTypes(), translatingErrors: ErrorTranslation? = nil) {
        self.table = table
        self.middleware = middleware.map(MiddlewareLink.init)
        self.registered = registered
        self.problemTypes = problemTypes
        self.translatingErrors = translatingErrors
    }

    /// The problem document answering `error` (see ``ProblemDocument``), typed by this
    /// responder's ``ServerProblemTypes`` where the error has no type of its own, after the
    /// responder's ``ErrorTranslation``. Every error a route, middleware or sink answers comes
    /// through here.
    func problem(for error: any Error, instance: String?, logger: Logger) -> HTTPResponse {
        let translated = translatingErrors.map { $0(error) } ?? error
        return ProblemDocument.response(for: translated, instance: instance, types: problemTypes, logger: logger)
    }

    /// The routes this responder serves, as ``Router/routes`` listed them when it was built.
    public var routes: [(method: HTTPMethod, path: String)] {
        registered.map { (method: $0.method, path: $0.path) }
    }

    /// What the connection needs to know before it reads a body.
    struct Resolved: Sendable {
        var handler: RouteHandler
        var parameters: PathParameters
        var bodyLimit: Int?
        var admission: AdmissionCheck? = nil
        /// The matched route's pattern; nil when no route matched (404, 405).
        var route: String? = nil
        /// The matched route's ``RequestContext/routeIndex``.
        var routeIndex: Int? = nil
        /// The matched route's own deadline, if it has one.
        var deadline: Duration? = nil
    }

    func resolve(_ method: HTTPMethod, path: String) -> Resolved {
        switch table.lookup(method, path: path) {
        case .found(let route, let parameters):
            return Resolved(
                handler: route.handler, parameters: parameters, bodyLimit: route.bodyLimit, admission: route.admission,
                route: route.pattern, routeIndex: route.index, deadline: route.deadline)
        case .methodNotAllowed(let allow):
            let error = HTTPError(status: .methodNotAllowed, detail: "\(method) is not allowed on this resource.",
                                  headers: ["Allow": allow])
            return Resolved(handler: .inline { _, _ in throw error }, parameters: PathParameters(), bodyLimit: nil)
        case .notFound:
            return Resolved(handler: .inline { _, _ in throw HTTPError(status: .notFound) },
                            parameters: PathParameters(), bodyLimit: nil)
        }
    }

    /// Runs the chain around a synchronous handler on the caller's thread.
    // `consuming`: the connection hands its only copy over, so the middleware's `inout`
    // access does not start with a copy of every field (and its retains).
    func respond(_ request: consuming HTTPRequest, context: consuming RequestContext, handler: SyncHandler) -> HTTPResponse {
        let (entered, early) = prepare(&request, &context)
        var response: HTTPResponse
        if let early {
            response = early
        } else {
            do {
                response = try handler(request, context)
            } catch {
                response = problem(for: error, instance: request.path, logger: context.logger)
            }
        }
        complete(request, context, entered, &response)
        return response
    }

    /// Runs the chain around an async handler.
    func respond(_ request: consuming HTTPRequest, context: consuming RequestContext,
                 asyncHandler handler: @escaping AsyncHandler) async -> HTTPResponse {
        context.deadline = deadlines?.start(timeout: context.routeDeadline)
        let (entered, early) = prepare(&request, &context)
        var response: HTTPResponse
        if let early {
            response = early
        } else {
            do {
                response = try await run(handler, request, context, within: context.deadline)
            } catch {
                response = problem(for: error, instance: request.path, logger: context.logger)
            }
        }
        complete(request, context, entered, &response)
        return response
    }

    /// Test entry point: the whole chain without sockets (the in-process transport).
    public func respond(to request: HTTPRequest, logger: Logger = Logger(label: "test")) async -> HTTPResponse {
        let resolved = resolve(request.method, path: request.path)
        let context = RequestContext(
            parameters: resolved.parameters, route: resolved.route, routeIndex: resolved.routeIndex,
            routeDeadline: resolved.deadline, logger: logger)
        switch resolved.handler {
        case .inline(let handler): return respond(request, context: context, handler: handler)
        case .async(let handler): return await respond(request, context: context, asyncHandler: handler)
        case .deferred(let handler):
            return await withCheckedContinuation { continuation in
                if let response = respond(request, context: context, handler: handler, destination: .continuation(continuation)) {
                    continuation.resume(returning: response)
                }
            }
        }
    }
}
