import Sockets
import SystemClock

extension HTTPConnection {
    /// Called on every loop tick.
    func checkTimeout(now: MonotonicTime) {
        guard now >= deadline else { return }
        switch phase {
        case .awaitingHead:
            if readIndex < buffer.count {
                // RFC 9110 §15.5.9: tell a client that stalled mid-head why it is being closed.
                fail(HTTPParseError(.requestTimeout, "The request head was not received in time."))
            } else {
                socket.close()  // idle keep-alive, or a connection that never sent a byte
            }
        case .readingBody:
            fail(HTTPParseError(.requestTimeout, "The request body arrived too slowly."))
        case .closing, .lingering:
            socket.close()
        case .responding, .closed:
            break
        }
    }

    /// Server shutdown: idle connections close now; a request in progress finishes and its
    /// response carries `Connection: close`.
    func beginDrain() {
        isDraining = true
        if case .awaitingHead = phase, readIndex == buffer.count {
            socket.close()
        }
    }
}
