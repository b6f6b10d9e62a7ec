import Sockets

/// A request whose head is parsed and whose body is still arriving.
struct PendingBody {
    var head: RequestHead
    var resolved: Responder.Resolved
    var limit: Int
    var body: [UInt8] = []
    var chunked: ChunkedBodyDecoder?
    var startedAt: MonotonicTime
}

/// What the response head needs from the request, kept instead of the whole head.
struct ResponseFraming: Sendable {
    /// RFC 9112 §9.3: the client's wish, before the server adds its own reasons to close.
    var keepAlive: Bool
    /// RFC 9110 §9.3.2: HEAD gets the same head as GET but no content.
    var omitsBody: Bool
    var isHTTP10: Bool

    init(_ head: borrowing RequestHead) {
        keepAlive = head.keepAlive
        omitsBody = head.request.method == .head
        isHTTP10 = head.request.version == .http1_0
    }
}

extension HTTPConnection {
    /// - Parameter bodyBytesFollow: bytes after the head already arrived, so the client did
    ///   not wait for `100 Continue`.
    func startRequest(_ head: consuming RequestHead, bodyBytesFollow: Bool) {
        requestsServed += 1
        let resolved = responder.resolve(head.request.method, path: head.request.path)
        let limit = resolved.bodyLimit ?? limits.maxBodySize
        switch head.framing {
        case .none:
            let framing = ResponseFraming(head)
            dispatch(head.request, framing, resolved)
            return
        case .length(let length):
            // RFC 9110 §15.5.14: refuse before reading, so the excess is never buffered; with
            // `Expect: 100-continue` the client is told before it sends (RFC 9110 §10.1.1).
            guard length <= limit else {
                fail(HTTPParseError(.contentTooLarge, "The request body is larger than \(limit) bytes."))
                return
            }
            var pending = PendingBody(head: head, resolved: resolved, limit: limit, startedAt: now)
            pending.body.reserveCapacity(length)
            awaitBody(pending, bodyBytesFollow: bodyBytesFollow)
        case .chunked:
            var pending = PendingBody(head: head, resolved: resolved, limit: limit, startedAt: now)
            pending.chunked = ChunkedBodyDecoder(limits: limits)
            awaitBody(pending, bodyBytesFollow: bodyBytesFollow)
        }
    }

    private func awaitBody(_ pending: consuming PendingBody, bodyBytesFollow: Bool) {
        if pending.head.expectsContinue && !bodyBytesFollow {
            socket.enqueue(ResponseHead.continueLine)
        }
        deadline = pending.startedAt + limits.bodyReadTimeout
        pendingBody = pending
        phase = .readingBody
    }

    /// Moves body bytes from `input` into `pending`; whether the body is complete, and the
    /// bytes used.
    func readBody(_ pending: inout PendingBody, from input: UnsafeBufferPointer<UInt8>) throws -> (Bool, Int) {
        let before = pending.body.count
        var used = 0
        var complete = false
        if var decoder = pending.chunked {
            used = try decoder.decode(input, into: &pending.body, bodyLimit: pending.limit)
            pending.chunked = decoder
            complete = decoder.isComplete
        } else if case .length(let length) = pending.head.framing {
            used = min(length - pending.body.count, input.count)
            pending.body.append(contentsOf: UnsafeBufferPointer(rebasing: input[0..<used]))
            complete = pending.body.count == length
        }
        if !complete, pending.body.count > before {
            // Minimum body rate: the grace period plus one second per `minimumBodyBytesPerSecond`.
            let rate = max(1, limits.minimumBodyBytesPerSecond)
            deadline = pending.startedAt + limits.bodyReadTimeout + .milliseconds(pending.body.count * 1000 / rate)
        }
        return (complete, used)
    }

    /// Runs the route: inline handlers on this thread, async ones as a Task whose response
    /// comes back through `loop.execute`.
    func dispatch(_ request: consuming HTTPRequest, _ framing: ResponseFraming, _ resolved: Responder.Resolved) {
        let context = RequestContext(parameters: resolved.parameters, logger: logger, startTime: now)
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
                let response = await responder.respond(request, context: context, handler: handler)
                loop.execute { self.completeAsync(response, framing) }
            }
        }
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
