import Foundation

/// Where a ``DeferredHandler`` sends its one answer, from any thread, whenever it is ready.
///
/// Answering runs the middleware's completion half (request id, access log) on the calling
/// thread, then hands the response to the connection's event loop. The first answer counts;
/// later ones are ignored. An answer for a connection that has closed (the client left, a
/// timeout, server shutdown) is dropped quietly.
///
/// A sink released without an answer answers 500 itself (and logs it), so a handler that
/// loses its sink on some path does not leave the client waiting. A sink that is kept but
/// never answered holds its connection like an async handler that never returns: no
/// timeout runs while a connection waits for its response.
public final class ResponseSink: @unchecked Sendable {
    // @unchecked Sendable is safe because the mutable state (`claimed`, `handlerReturned`,
    // `stashed`) is only touched under `lock`; everything else is immutable and Sendable.
    enum Destination: Sendable {
        /// `request` is the connection's request count when this one started: an answer for an
        /// earlier request can never be written as a later one's.
        case connection(HTTPConnection, ResponseFraming, request: Int)
        /// The in-process transport (``Responder/respond(to:logger:)``).
        case continuation(CheckedContinuation<HTTPResponse, Never>)
    }

    private let responder: Responder
    private let request: HTTPRequest
    private let context: RequestContext
    /// How many middleware ran `prepare`; their `complete` runs on the answer.
    private let entered: Int
    private let destination: Destination
    private let lock = NSLock()
    /// An answer has been accepted; any later one is ignored.
    private var claimed = false
    /// While the handler still runs on the loop thread, an answer is kept here and written by
    /// the connection right after the handler returns: no wake-up of the loop for a handler
    /// that answers at once (a validation error, say).
    private var handlerReturned: Bool
    private var stashed: HTTPResponse?

    init(responder: Responder, request: HTTPRequest, context: RequestContext, entered: Int, destination: Destination) {
        self.responder = responder
        self.request = request
        self.context = context
        self.entered = entered
        self.destination = destination
        if case .connection = destination { handlerReturned = false } else { handlerReturned = true }
    }

    deinit {
        guard !claimed else { return }
        context.logger.error("a deferred handler released its response sink without answering", metadata: [
            "path": .string(request.path),
        ])
        var response = ProblemDocument.response(
            for: HTTPError(status: .internalServerError), instance: request.path, types: responder.problemTypes)
        responder.complete(request, context, entered, &response)
        Self.deliver(response, to: destination)
    }

    /// Answers the request with `response`. Only the first answer (of `respond` or `fail`) counts.
    public func respond(_ response: HTTPResponse) {
        guard claim() else { return }
        var response = response
        finish(&response)
    }

    /// Answers the request as a thrown error would: an ``HTTPError`` becomes its problem
    /// document, any other error a logged 500. Ignored after an earlier answer.
    public func fail(_ error: any Error) {
        guard claim() else { return }
        var response = responder.problem(for: error, instance: request.path, logger: context.logger)
        finish(&response)
    }

    /// Whether an answer was already given (for tests and diagnostics).
    public var isAnswered: Bool {
        lock.withLock { claimed }
    }

    private func claim() -> Bool {
        lock.withLock {
            if claimed { return false }
            claimed = true
            return true
        }
    }

    private func finish(_ response: inout HTTPResponse) {
        context.deadline?.finish()
        responder.complete(request, context, entered, &response)
        let now: Bool = lock.withLock {
            if handlerReturned { return true }
            stashed = response
            return false
        }
        if now { Self.deliver(response, to: destination) }
    }

    /// Called by the connection once the handler returned: the answer it gave meanwhile, if
    /// any; from here on answers go through the loop.
    func handlerDidReturn() -> HTTPResponse? {
        lock.withLock {
            handlerReturned = true
            return stashed.take()
        }
    }

    /// Static, so `deinit` can use it without the closure capturing `self`.
    private static func deliver(_ response: HTTPResponse, to destination: Destination) {
        switch destination {
        case .connection(let connection, let framing, let request):
            connection.loop.execute { connection.completeDeferred(response, framing, request: request) }
        case .continuation(let continuation):
            continuation.resume(returning: response)
        }
    }
}
