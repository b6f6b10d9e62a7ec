/// One middleware behind a class reference. Walking `[any Middleware]` copied each existential
/// into a temporary and destroyed it again (value witness calls, plus retains of what the
/// middleware holds); a link's `let` is lent from the array's buffer.
final class MiddlewareLink: Sendable {
    let middleware: any Middleware

    init(_ middleware: any Middleware) {
        self.middleware = middleware
    }
}

extension Responder {
    /// Runs `prepare` outermost first; returns how many ran and the response of one that
    /// answered early (or of an error it threw).
    func prepare(_ request: inout HTTPRequest, _ context: inout RequestContext) -> (Int, HTTPResponse?) {
        middleware.withUnsafeBufferPointer { chain in
            for index in chain.indices {
                do {
                    if let response = try chain[index].middleware.prepare(&request, context: &context) {
                        return (index + 1, response)
                    }
                } catch {
                    return (index + 1, problem(for: error, instance: request.path, logger: context.logger))
                }
            }
            return (chain.count, nil)
        }
    }

    /// Runs `complete` innermost first, for the `entered` middleware whose `prepare` ran.
    func complete(_ request: HTTPRequest, _ context: RequestContext, _ entered: Int, _ response: inout HTTPResponse) {
        middleware.withUnsafeBufferPointer { chain in
            var index = entered
            while index > 0 {
                index -= 1
                chain[index].middleware.complete(request, context: context, response: &response)
            }
        }
    }
}
