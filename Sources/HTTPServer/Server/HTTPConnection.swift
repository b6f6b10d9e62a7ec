import Logging
import Sockets
import SystemClock

/// One client connection: the HTTP/1.1 state machine over a ``TCPConnection``.
///
/// Requests are handled one at a time in arrival order, which answers pipelined requests in
/// order (RFC 9112 §9.3.2): bytes of later requests wait in `buffer` until the current
/// response is queued. All responses produced while handling one read are flushed together.
final class HTTPConnection: TCPConnectionDelegate, @unchecked Sendable {
    // @unchecked Sendable is safe because every property is used only on the owning loop's
    // thread; an async handler's Task hands its response back through `loop.execute`.
    /// Payload-free, so the checks of it on every event copy one byte rather than a request.
    enum Phase {
        case awaitingHead
        /// The body of `pendingBody` is arriving.
        case readingBody
        case responding
        /// Flushing the final response; then half-close and linger.
        case closing
        /// Half-closed, discarding input until the peer closes or the linger timeout.
        case lingering
        case closed
    }

    let socket: TCPConnection
    let state: LoopState
    var phase = Phase.awaitingHead
    /// Set while `phase` is `.readingBody`.
    var pendingBody: PendingBody?
    var buffer: [UInt8] = []
    var readIndex = 0
    var headParser: RequestHeadParser
    var deadline: MonotonicTime
    var requestsServed = 0
    var isDraining = false
    var inputClosed = false
    var headInProgress = false

    // Copied from `state.shared` once per connection: reaching through two objects on every
    // use cost a retain/release pair each time on the request path.
    let limits: HTTPLimits
    let responder: Responder
    let logger: Logger
    let loop: EventLoop
    /// The per-request timeouts in nanoseconds: converting a `Duration` costs 128-bit
    /// arithmetic, paid two or three times per request otherwise.
    let headerReadNanos: UInt64
    let idleNanos: UInt64
    /// The loop's clock, read once per wake-up; deadlines only need tick precision.
    var now: MonotonicTime { loop.cachedNow }

    func deadline(afterNanoseconds nanos: UInt64) -> MonotonicTime {
        let (sum, overflow) = now.nanoseconds.addingReportingOverflow(nanos)
        return MonotonicTime(nanoseconds: overflow ? .max : sum)
    }

    init(socket: TCPConnection, state: LoopState) {
        self.socket = socket
        self.state = state
        limits = state.shared.limits
        headerReadNanos = limits.headerReadTimeout.nanosecondsClamped
        idleNanos = limits.idleTimeout.nanosecondsClamped
        responder = state.shared.responder
        logger = state.shared.logger
        loop = socket.eventLoop
        headParser = RequestHeadParser(limits: state.shared.limits)
        // A fresh connection gets the header timeout, not the idle one: it has sent nothing yet.
        deadline = .now() + state.shared.limits.headerReadTimeout
        socket.delegate = self
    }

    func connectionDidReachEndOfInput(_ connection: TCPConnection) {
        inputClosed = true
        switch phase {
        case .responding, .closing:
            return
        case .readingBody, .lingering, .closed:
            socket.close()
        case .awaitingHead:
            // Requests already buffered were answered by `process`; a partial one never will be.
            if socket.hasPendingOutput { beginClose(linger: false) } else { socket.close() }
        }
    }

    func connectionDidDrain(_ connection: TCPConnection) {
        if case .closing = phase {
            finishClose()
        } else if socket.isReadingPaused, !inputClosed {
            socket.resumeReading()
        }
    }

    func connectionDidClose(_ connection: TCPConnection) {
        phase = .closed
        pendingBody = nil
        state.remove(self)
    }

    /// Answers a framing or limit error and closes (RFC 9112 §11.2: framing is untrusted now).
    func fail(_ error: HTTPParseError) {
        state.shared.onRefusal?(.answered(error.status))
        let problem = ProblemDocument.response(
            for: HTTPError(status: error.status, detail: error.reason), instance: nil, types: responder.problemTypes)
        let date = state.date.fieldLine
        socket.enqueue { out in
            ResponseHead.write(problem, close: true, keepAliveFor10: false, includeBody: true, date: date, into: &out)
        }
        beginClose(linger: true)
    }

    func beginClose(linger: Bool) {
        phase = .closing
        pendingBody = nil
        lingerAfterFlush = linger
        deadline = .now() + limits.idleTimeout
        socket.flush()
        if case .closing = phase, !socket.hasPendingOutput { finishClose() }
    }

    private var lingerAfterFlush = false

    private func finishClose() {
        guard lingerAfterFlush, !inputClosed else {
            socket.close()
            return
        }
        socket.shutdownOutput()
        phase = .lingering
        deadline = .now() + limits.lingerTimeout
        buffer = []
        readIndex = 0
        if socket.isReadingPaused { socket.resumeReading() }
    }
}
