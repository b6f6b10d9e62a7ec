import Foundation
import SystemClock

/// Connections between requests, by origin: taken newest first (the one least likely to have
/// been closed by the server), dropped once idle for `idleLimit`, at most `perOrigin` per
/// origin and `total` in all (the longest idle closed first). No thread of its own: expired
/// connections are closed when the store is next used.
final class IdleConnections: @unchecked Sendable {  // `lock` guards `parked`
    private struct Parked {
        let connection: HTTPClientConnection
        let since: MonotonicTime
    }

    private let idleLimit: Duration
    private let perOrigin: Int
    private let total: Int
    private let now: @Sendable () -> MonotonicTime
    private let lock = NSLock()
    private var parked: [HTTPOrigin: [Parked]] = [:]

    init(idleLimit: Duration, perOrigin: Int, total: Int, now: @escaping @Sendable () -> MonotonicTime) {
        self.idleLimit = idleLimit
        self.perOrigin = max(perOrigin, 0)
        self.total = max(total, 0)
        self.now = now
    }

    /// The most recently parked connection to `origin` that has not been idle too long.
    func take(_ origin: HTTPOrigin) -> HTTPClientConnection? {
        let (connection, expired) = lock.withLock { () -> (HTTPClientConnection?, [HTTPClientConnection]) in
            let expired = removeExpired()
            return (parked[origin]?.popLast()?.connection, expired)
        }
        for stale in expired { stale.close() }
        return connection
    }

    func put(_ connection: HTTPClientConnection, for origin: HTTPOrigin) {
        let closed = lock.withLock { () -> [HTTPClientConnection] in
            var closed = removeExpired()
            parked[origin, default: []].append(Parked(connection: connection, since: now()))
            if let list = parked[origin], list.count > perOrigin {
                closed += list.prefix(list.count - perOrigin).map(\.connection)
                parked[origin] = Array(list.suffix(perOrigin))
            }
            var count = parked.values.reduce(0) { $0 + $1.count }
            while count > total, let oldest = oldestOrigin() {
                closed.append(parked[oldest]!.removeFirst().connection)
                count -= 1
            }
            parked = parked.filter { !$0.value.isEmpty }
            return closed
        }
        for connection in closed { connection.close() }
    }

    /// Connections parked now (for tests).
    var count: Int { lock.withLock { parked.values.reduce(0) { $0 + $1.count } } }

    /// Closes every parked connection.
    func closeAll() {
        let all = lock.withLock { () -> [HTTPClientConnection] in
            defer { parked = [:] }
            return parked.values.flatMap { $0.map(\.connection) }
        }
        for connection in all { connection.close() }
    }

    /// Under `lock`: removes the connections idle for `idleLimit` or longer and returns them.
    private func removeExpired() -> [HTTPClientConnection] {
        let cutoff = now()
        var expired: [HTTPClientConnection] = []
        for (origin, list) in parked {
            // Parked in time order: the expired ones are a prefix.
            let old = list.prefix { cutoff.duration(since: $0.since) >= idleLimit }
            guard !old.isEmpty else { continue }
            expired += old.map(\.connection)
            parked[origin] = old.count == list.count ? nil : Array(list.dropFirst(old.count))
        }
        return expired
    }

    /// Under `lock`: the origin whose longest-idle connection has waited longest.
    private func oldestOrigin() -> HTTPOrigin? {
        parked.filter { !$0.value.isEmpty }.min { $0.value[0].since < $1.value[0].since }?.key
    }
}
