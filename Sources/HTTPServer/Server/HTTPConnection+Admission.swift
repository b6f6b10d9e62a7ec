import Sockets
import SystemClock

extension HTTPConnection {
    /// Runs the route's ``AdmissionCheck`` on the head before the body is read. Meanwhile the
    /// connection waits as it does for an async handler: bytes that arrive are buffered (up to
    /// the pause threshold), nothing is parsed. Accepted: the body is read as usual (and a
    /// client waiting on `Expect: 100-continue` is told to send it now). Refused: the refusal is
    /// the answer, through the middleware like any response, and the connection closes, since
    /// the unread body leaves its framing behind (RFC 9110 §10.1.1 allows a final status in
    /// place of 100 Continue; RFC 9112 §9.6 the close).
    func admitThenAwaitBody(_ pending: consuming PendingBody, bodyBytesFollow: Bool) {
        guard let admission = pending.resolved.admission else {
            return awaitBody(pending, bodyBytesFollow: bodyBytesFollow)
        }
        let head = pending.request
        let context = RequestContext(
            parameters: pending.resolved.parameters, route: pending.resolved.route, routeIndex: pending.resolved.routeIndex,
            routeDeadline: pending.resolved.deadline, logger: logger, startTime: now)
        let framing = ResponseFraming(head, pending.framing)
        pendingBody = pending
        phase = .responding
        deadline = MonotonicTime(nanoseconds: .max)
        let responder = responder
        let loop = loop
        Task {
            var refusal: HTTPResponse?
            do {
                try await admission(head, context)
            } catch {
                refusal = responder.respond(head, context: context, handler: { _, _ in throw error })
            }
            loop.execute { [refusal] in self.completeAdmission(refusal: refusal, framing, bodyBytesFollow: bodyBytesFollow) }
        }
    }

    private func completeAdmission(refusal: HTTPResponse?, _ framing: ResponseFraming, bodyBytesFollow: Bool) {
        guard case .responding = phase, let pending = pendingBody.take() else { return }
        if let refusal {
            var closing = framing
            closing.keepAlive = false
            write(refusal, closing)
        } else {
            awaitBody(pending, bodyBytesFollow: bodyBytesFollow || readIndex < buffer.count)
            if !inputClosed, socket.isReadingPaused, !socket.hasPendingOutput { socket.resumeReading() }
            process()
        }
        socket.flush()
    }
}
