import Sockets
import SystemClock

/// A request whose head is parsed and whose body is still arriving (into `request.body`).
struct PendingBody {
    var request: HTTPRequest
    var framing: RequestFraming
    var resolved: Responder.Resolved
    var limit: Int
    var chunked: ChunkedBodyDecoder?
    var startedAt: MonotonicTime
}

/// What the response head needs from the request, kept instead of the request.
struct ResponseFraming: Sendable {
    /// RFC 9112 §9.3: the client's wish, before the server adds its own reasons to close.
    var keepAlive: Bool
    /// RFC 9110 §9.3.2: HEAD gets the same head as GET but no content.
    var omitsBody: Bool
    var isHTTP10: Bool

    init(_ request: borrowing HTTPRequest, _ framing: RequestFraming) {
        keepAlive = framing.keepAlive
        omitsBody = request.method == .head
        isHTTP10 = request.version == .http1_0
    }
}

extension HTTPConnection {
    /// - Parameter bodyBytesFollow: bytes after the head already arrived, so the client did
    ///   not wait for `100 Continue`.
    func startRequest(_ request: consuming HTTPRequest, _ framing: RequestFraming, bodyBytesFollow: Bool) {
        requestsServed += 1
        let resolved = responder.resolve(request.method, path: request.path)
        let limit = resolved.bodyLimit ?? limits.maxBodySize
        switch framing.body {
        case .none:
            dispatch(request, ResponseFraming(request, framing), resolved)
            return
        case .length(let length):
            // RFC 9110 §15.5.14: refuse before reading, so the excess is never buffered; with
            // `Expect: 100-continue` the client is told before it sends (RFC 9110 §10.1.1).
            guard length <= limit else {
                fail(HTTPParseError(.contentTooLarge, "The request body is larger than \(limit) bytes."))
                return
            }
            let admitFirst = resolved.admission != nil && length > limits.maxBodySizeWithoutAdmission
            if !admitFirst { request.body.reserveCapacity(length) }
            let pending = PendingBody(request: request, framing: framing, resolved: resolved, limit: limit, startedAt: now)
            if admitFirst { return admitThenAwaitBody(pending, bodyBytesFollow: bodyBytesFollow) }
            awaitBody(pending, bodyBytesFollow: bodyBytesFollow)
        case .chunked:
            var pending = PendingBody(request: request, framing: framing, resolved: resolved, limit: limit, startedAt: now)
            pending.chunked = ChunkedBodyDecoder(limits: limits)
            // The size of a chunked body is unknown until it has arrived.
            if resolved.admission != nil { return admitThenAwaitBody(pending, bodyBytesFollow: bodyBytesFollow) }
            awaitBody(pending, bodyBytesFollow: bodyBytesFollow)
        }
    }

    func awaitBody(_ pending: consuming PendingBody, bodyBytesFollow: Bool) {
        if pending.framing.expectsContinue && !bodyBytesFollow {
            socket.enqueue(ResponseHead.continueLine)
        }
        deadline = pending.startedAt + limits.bodyReadTimeout
        pendingBody = pending
        phase = .readingBody
    }

    /// Moves body bytes from `input` into `pending`; whether the body is complete, and the
    /// bytes used.
    func readBody(_ pending: inout PendingBody, from input: UnsafeBufferPointer<UInt8>) throws -> (Bool, Int) {
        let before = pending.request.body.count
        var used = 0
        var complete = false
        if var decoder = pending.chunked {
            used = try decoder.decode(input, into: &pending.request.body, bodyLimit: pending.limit)
            pending.chunked = decoder
            complete = decoder.isComplete
        } else if case .length(let length) = pending.framing.body {
            used = min(length - pending.request.body.count, input.count)
            pending.request.body.append(contentsOf: UnsafeBufferPointer(rebasing: input[0..<used]))
            complete = pending.request.body.count == length
        }
        let received = pending.request.body.count
        if !complete, received > before {
            // Minimum body rate: the grace period plus one second per `minimumBodyBytesPerSecond`.
            let rate = max(1, limits.minimumBodyBytesPerSecond)
            deadline = pending.startedAt + limits.bodyReadTimeout + .milliseconds(received * 1000 / rate)
        }
        return (complete, used)
    }

    /// Runs the route: inline handlers on this thread, async ones as a Task whose response
    /// comes back through `loop.execute`; deferred ones start on this thread and answer
    /// through a ``ResponseSink`` (at once, or later through `loop.execute`).
    func dispatch(_ request: consuming HTTPRequest, _ framing: ResponseFraming, _ resolved: Responder.Resolved) {
        let context = RequestContext(
            parameters: resolved.parameters, route: resolved.route, routeIndex: resolved.routeIndex,
            routeDeadline: resolved.deadline, logger: logger, startTime: now)
        switch resolved.handler {
        case .inline(let handler):
            write(responder.respond(request, context: context, handler: handler), framing)
        case .async(let handler):
            phase = .responding
            deadline = MonotonicTime(nanoseconds: .max)
            let responder = responder
            let loop = loop
            let request = consume request
            Task {
                let response = await responder.respond(request, context: context, asyncHandler: handler)
                loop.execute { self.completeAsync(response, framing) }
            }
        case .deferred(let handler):
            phase = .responding
            deadline = MonotonicTime(nanoseconds: .max)
            let destination = ResponseSink.Destination.connection(self, framing, request: requestsServed)
            if let response = responder.respond(request, context: context, handler: handler, destination: destination) {
                write(response, framing)
            }
        }
    }

    /// A deferred handler's answer, on the loop thread. Dropped when the connection has moved
    /// on: it closed (the client left, a timeout, shutdown), so `phase` is no longer
    /// `.responding`, or, defensively, it is answering a later request.
    func completeDeferred(_ response: HTTPResponse, _ framing: ResponseFraming, request: Int) {
        guard request == requestsServed else { return }
        completeAsync(response, framing)
    }

    private func completeAsync(_ response: HTTPResponse, _ framing: ResponseFraming) {
        guard case .responding = phase else { return }
        write(response, framing)
        if !inputClosed, socket.isReadingPaused, !socket.hasPendingOutput { socket.resumeReading() }
        process()
        socket.flush()
    }

    /// Queues head and body; the caller flushes, so they leave in one `send`.
    func write(_ response: HTTPResponse, _ framing: ResponseFraming) {
        if response.status == .switchingProtocols { return writeSwitchingProtocols(response) }
        // RFC 9112 §9.6: close after this response when the client or we asked for it.
        let close = !framing.keepAlive || isDraining || inputClosed
            || requestsServed >= limits.maxRequestsPerConnection
        let date = state.date.fieldLine
        socket.enqueue { out in
            ResponseHead.write(response, close: close, keepAliveFor10: framing.isHTTP10,
                               includeBody: !framing.omitsBody, date: date, into: &out)
        }
        if close {
            beginClose(linger: !inputClosed)
        } else {
            phase = .awaitingHead
            deadline = deadline(afterNanoseconds: idleNanos)
        }
    }
}
