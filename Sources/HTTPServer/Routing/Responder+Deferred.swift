extension Responder {
    /// Runs the middleware's `prepare` and starts a deferred handler on the caller's thread.
    /// Returns the response when there is one already (a middleware answered early, or the
    /// handler answered before it returned); otherwise the sink delivers it to `destination`.
    func respond(_ request: consuming HTTPRequest, context: consuming RequestContext, handler: DeferredHandler,
                 destination: ResponseSink.Destination) -> HTTPResponse? {
        context.deadline = deadlines?.start(timeout: context.routeDeadline)
        let (entered, early) = prepare(&request, &context)
        if var early {
            context.deadline?.finish()
            complete(request, context, entered, &early)
            return early
        }
        let sink = ResponseSink(responder: self, request: copy request, context: copy context, entered: entered, destination: destination)
        armDeadline(context.deadline, answering: sink)
        handler(request, context, sink)
        return sink.handlerDidReturn()
    }
}
