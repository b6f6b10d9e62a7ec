import Sockets

extension LoopState {
    /// How many idle connections one scan closes at most. nginx, out of connections, closes up
    /// to 32 of its reusable (idle keep-alive) ones at a time (`ngx_drain_connections`); a few
    /// per scan spare the next newcomers a scan each, without disconnecting more clients than a
    /// burst of them needs.
    static let idleConnectionsClosedPerScan = 8

    /// At the connection limit: closes this loop's longest-idle keep-alive connections (up to
    /// ``idleConnectionsClosedPerScan``) so that a new client, a health check say, is admitted
    /// instead of reset. RFC 9112 §9.5 lets a server close an idle connection at any time; its
    /// client opens a new one for its next request, as after the idle timeout. Returns how
    /// many were closed; each is reported as ``ServerRefusal/idleConnectionClosed``.
    func closeLongestIdle() -> Int {
        // An idle connection's deadline is when it went idle plus the idle timeout, the same
        // for all: the earliest deadline is the longest idle. A full scan, but only at the cap.
        var idle = connections.values.filter(\.isIdleKeepAlive)
        guard !idle.isEmpty else { return 0 }
        if idle.count > Self.idleConnectionsClosedPerScan {
            idle.sort { $0.deadline < $1.deadline }
            idle.removeLast(idle.count - Self.idleConnectionsClosedPerScan)
        }
        for connection in idle {
            connection.socket.close()  // → connectionDidClose → remove: the slot is free now
            shared.onRefusal?(.idleConnectionClosed)
        }
        return idle.count
    }
}

extension HTTPConnection {
    /// Between requests on a kept-alive connection: nothing buffered, being parsed, handled or
    /// written. Closing it loses nothing.
    var isIdleKeepAlive: Bool {
        guard case .awaitingHead = phase else { return false }
        return requestsServed > 0 && !headInProgress && readIndex == buffer.count && !socket.hasPendingOutput
    }
}
