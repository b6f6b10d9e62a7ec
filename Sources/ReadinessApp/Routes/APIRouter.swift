import HTTPServer

/// A handler of an operation that needs a token: it is given the caller, already
/// authenticated and let in by its route's ``RouteAccess``, so it cannot forget the check.
typealias AuthenticatedHandler = @Sendable (HTTPRequest, Principal, RequestContext) async throws -> HTTPResponse

/// The router as the API's operations see it: every route states who may call it when it is
/// registered. Open routes (health, problem pages, the spec, the WebSocket echo) register on
/// the plain ``Router`` instead; `RouteAccessTests` requests every other route without a
/// token and expects 401, so a route registered here without a check cannot pass the suite.
///
/// Each check spends one request of the token's budget (Limits/RequestBudgets), exactly as
/// the inline `authenticator.require` calls it replaced.
struct APIRouter {
    var router: Router
    let authenticator: Authenticator

    mutating func on(_ method: HTTPMethod, _ path: String, access: RouteAccess, bodyLimit: Int? = nil,
                     handler: @escaping AuthenticatedHandler) {
        router.on(method, path, bodyLimit: bodyLimit) { [authenticator] request, context async throws -> HTTPResponse in
            let principal = try await authenticator.admit(access, for: request)
            return try await handler(request, principal, context)
        }
    }

    /// A route accepting large bodies: the access is checked before such a body is read (see
    /// ``AdmissionCheck``) and again when the handler runs, as both always did.
    mutating func on(_ method: HTTPMethod, _ path: String, access: RouteAccess, largeBodyLimit bodyLimit: Int,
                     handler: @escaping AuthenticatedHandler) {
        router.on(method, path, bodyLimit: bodyLimit, admission: { [authenticator] request, _ in
            _ = try await authenticator.admit(access, for: request)
        }, handler: { [authenticator] request, context async throws -> HTTPResponse in
            let principal = try await authenticator.admit(access, for: request)
            return try await handler(request, principal, context)
        })
    }

    /// A deferred route (see ``Router/on(_:_:bodyLimit:admission:deferred:)``): its access is
    /// checked before a large body is read; the handler runs on the event loop, where it cannot
    /// wait for a token lookup, so it checks the same access itself from the token cache
    /// (`Authenticator.requireFromCache`), and the route test holds it to that.
    mutating func on(_ method: HTTPMethod, _ path: String, access: RouteAccess, bodyLimit: Int?,
                     deferred handler: @escaping DeferredHandler) {
        router.on(method, path, bodyLimit: bodyLimit, admission: { [authenticator] request, _ in
            _ = try await authenticator.admit(access, for: request)
        }, deferred: handler)
    }

    /// A deadline of the route's own (see ``Router/setDeadline(_:for:_:)``).
    mutating func setDeadline(_ timeout: Duration, for method: HTTPMethod, _ path: String) {
        router.setDeadline(timeout, for: method, path)
    }

    mutating func get(_ path: String, access: RouteAccess, handler: @escaping AuthenticatedHandler) {
        on(.get, path, access: access, handler: handler)
    }

    mutating func post(_ path: String, access: RouteAccess, bodyLimit: Int? = nil, handler: @escaping AuthenticatedHandler) {
        on(.post, path, access: access, bodyLimit: bodyLimit, handler: handler)
    }

    mutating func put(_ path: String, access: RouteAccess, bodyLimit: Int? = nil, handler: @escaping AuthenticatedHandler) {
        on(.put, path, access: access, bodyLimit: bodyLimit, handler: handler)
    }

    mutating func patch(_ path: String, access: RouteAccess, bodyLimit: Int? = nil, handler: @escaping AuthenticatedHandler) {
        on(.patch, path, access: access, bodyLimit: bodyLimit, handler: handler)
    }

    mutating func delete(_ path: String, access: RouteAccess, handler: @escaping AuthenticatedHandler) {
        on(.delete, path, access: access, handler: handler)
    }
}
