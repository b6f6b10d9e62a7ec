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

extension HTTPConnection {
    func startRequest(_ head: RequestHead) {
        requestsServed += 1
        let resolved = responder.resolve(head.method, path: head.path)
        let limit = resolved.bodyLimit ?? limits.maxBodySize
        var pending = PendingBody(head: head, resolved: resolved, limit: limit, startedAt: now)
        switch head.framing {
        case .none:
            dispatch(pending)
            return
        case .length(let length):
            // RFC 9110 §15.5.14: refuse before reading, so the excess is never buffered; with
            // `Expect: 100-continue` the client is told before it sends (RFC 9110 §10.1.1).
            guard length <= limit else {
                fail(HTTPParseError(.contentTooLarge, "The request body is larger than \(limit) bytes."))
                return
            }
            pending.body.reserveCapacity(length)
        case .chunked:
            pending.chunked = ChunkedBodyDecoder(limits: limits)
        }
        if head.expectsContinue && readIndex == buffer.count {
            socket.enqueue(ResponseHead.continueLine)
        }
        deadline = pending.startedAt + limits.bodyReadTimeout
        phase = .readingBody(pending)
    }

    /// Moves body bytes out of `buffer`; true when the body is complete.
    func readBody(_ pending: inout PendingBody) throws -> Bool {
        let before = pending.body.count
        let available = buffer.count - readIndex
        if var decoder = pending.chunked {
            let used = try buffer.withUnsafeBufferPointer { all in
                try decoder.decode(UnsafeBufferPointer(rebasing: all[readIndex...]), into: &pending.body,
                                   bodyLimit: pending.limit)
            }
            readIndex += used
            pending.chunked = decoder
            if decoder.isComplete { return true }
        } else if case .length(let length) = pending.head.framing {
            let take = min(length - pending.body.count, available)
            pending.body.append(contentsOf: buffer[readIndex..<(readIndex + take)])
            readIndex += take
            if pending.body.count == length { return true }
        }
        if pending.body.count > before {
            // Minimum body rate: the grace period plus one second per `minimumBodyBytesPerSecond`.
            let rate = max(1, limits.minimumBodyBytesPerSecond)
            deadline = pending.startedAt + limits.bodyReadTimeout + .milliseconds(pending.body.count * 1000 / rate)
        }
        return false
    }

    func dispatch(_ pending: PendingBody) {
        let head = pending.head
        let request = HTTPRequest(method: head.method, target: head.target, path: head.path, query: head.query,
                                  version: head.version, headers: head.headers, body: pending.body)
        let context = RequestContext(parameters: pending.resolved.parameters, logger: logger,
                                     startTime: now)
        let responder = responder
        switch pending.resolved.handler {
        case .inline(let handler):
            let response = responder.respond(request, context: context, handler: handler)
            write(response, for: head)
        case .async(let handler):
            phase = .responding
            deadline = MonotonicTime(nanoseconds: .max)
            let loop = loop
            Task {
                let response = await responder.respond(request, context: context, handler: handler)
                loop.execute { self.completeAsync(response, for: head) }
            }
        }
    }

    private func completeAsync(_ response: HTTPResponse, for head: RequestHead) {
        guard case .responding = phase else { return }
        write(response, for: head)
        if !inputClosed, socket.isReadingPaused, !socket.hasPendingOutput { socket.resumeReading() }
        process()
        socket.flush()
    }

    /// Queues head and body; the caller flushes, so they leave in one `send`.
    func write(_ response: HTTPResponse, for head: RequestHead) {
        if response.status == .switchingProtocols { return writeSwitchingProtocols(response) }
        // RFC 9112 §9.6: close after this response when the client or we asked for it.
        let close = !head.keepAlive || isDraining || inputClosed
            || requestsServed >= limits.maxRequestsPerConnection
        // RFC 9110 §9.3.2: HEAD gets the same head as GET but no content.
        let sendsBody = head.method != .head && response.status.allowsBody
        socket.enqueue { out in
            ResponseHead.write(
                response, bodyLength: response.body.count, close: close,
                keepAliveFor10: head.version == .http1_0, date: state.date.fieldLine, into: &out)
            if sendsBody { out.append(contentsOf: response.body) }
        }
        if close {
            beginClose(linger: !inputClosed)
        } else {
            phase = .awaitingHead
            deadline = deadline(afterNanoseconds: idleNanos)
        }
    }
}
