import Sockets
import SystemClock

/// Everything one event loop owns: its listener, its connections, its cached Date line.
final class LoopState: @unchecked Sendable {
    // @unchecked Sendable is safe because after `start` every property is used only on the
    // owning loop's thread; other threads reach it only through `loop.execute`.
    let loop: EventLoop
    let shared: ServerShared
    var listener: TCPListener?
    private(set) var connections: [ObjectIdentifier: HTTPConnection] = [:]
    var date = DateCache()
    private(set) var isDraining = false

    init(loop: EventLoop, shared: ServerShared) {
        self.loop = loop
        self.shared = shared
        date.refresh()
    }

    func accept(_ socket: TCPConnection) {
        // At the limit, idle keep-alive connections make room (``closeLongestIdle()``); when
        // none does, the connection is accepted and closed at once: the client sees a close
        // instead of waiting in the backlog.
        guard !isDraining, shared.tryOpenConnection() || (closeLongestIdle() > 0 && shared.tryOpenConnection()) else {
            shared.onRefusal?(.connectionClosed)
            socket.close()
            return
        }
        let connection = HTTPConnection(socket: socket, state: self)
        connections[ObjectIdentifier(connection)] = connection
    }

    func remove(_ connection: HTTPConnection) {
        if connections.removeValue(forKey: ObjectIdentifier(connection)) != nil {
            shared.connectionClosed()
        }
    }

    func tick() {
        date.refresh()
        let now = MonotonicTime.now()
        for connection in Array(connections.values) { connection.checkTimeout(now: now) }
    }

    /// Graceful shutdown, step one: stop accepting, close idle connections, and let the rest
    /// finish their current request with `Connection: close`.
    func beginDrain() {
        isDraining = true
        listener?.close()
        listener = nil
        for connection in Array(connections.values) { connection.beginDrain() }
    }
}
