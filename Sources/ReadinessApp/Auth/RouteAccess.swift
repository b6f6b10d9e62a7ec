import HTTPServer

/// Who may call an operation, stated where its route is registered (``APIRouter``). The
/// router checks it before the handler runs, and hands the handler the caller it found.
enum RouteAccess: Sendable {
    /// A token whose scope grants this one: 401 without a valid token, 403 without the scope.
    case scope(Scope)
    /// A token whose scope grants any of these; 403 with `forbidden` as its detail otherwise.
    case anyOf([Scope], forbidden: String)
    /// Any valid token (401 without one); the handler narrows it itself, for answers that
    /// depend on the resource (an agent reading a site other than its own gets 404, not 403).
    case anyToken

    static let read = RouteAccess.scope(.read)
    static let admin = RouteAccess.scope(.admin)
    static let agent = RouteAccess.scope(.agent)
}

extension Authenticator {
    /// The caller, once `access` lets it in. Costs one request of its token's budget, as
    /// ``require(_:for:)`` and ``authenticate(_:)`` do.
    func admit(_ access: RouteAccess, for request: HTTPRequest) async throws -> Principal {
        switch access {
        case .scope(let scope):
            return try await require(scope, for: request)
        case .anyOf(let scopes, let forbidden):
            let principal = try await authenticate(request)
            guard scopes.contains(where: principal.scope.grants) else {
                throw HTTPError(status: .forbidden, detail: forbidden, problem: ProblemTypes.forbidden)
            }
            return principal
        case .anyToken:
            return try await authenticate(request)
        }
    }
}
