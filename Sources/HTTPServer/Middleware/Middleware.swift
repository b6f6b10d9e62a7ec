/// The one middleware protocol. It is split into a before and an after hook instead of
/// wrapping a `next` closure so the same chain runs both inline on the event loop (for
/// synchronous routes, with no Task hop) and around async handlers.
///
/// Errors thrown by `prepare` or by the handler are turned into problem responses right
/// where they are thrown (see ``ProblemDocument``), so `complete` always sees a response and
/// its status: access logs, request ids and headers work the same for failures.
public protocol Middleware: Sendable {
    /// Runs before the handler, outermost first. Return a response to answer without the
    /// handler (inner middleware are skipped too), or throw an ``HTTPError``.
    func prepare(_ request: inout HTTPRequest, context: inout RequestContext) throws -> HTTPResponse?

    /// Runs after the response exists, innermost first; only middleware whose `prepare` ran.
    func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse)
}

extension Middleware {
    public func prepare(_ request: inout HTTPRequest, context: inout RequestContext) throws -> HTTPResponse? {
        nil
    }

    public func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {}
}
