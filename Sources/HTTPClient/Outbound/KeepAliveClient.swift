import Sockets
import SystemClock
import SystemCrypto

/// Sends ``OutboundRequest``s and keeps each connection for the next request to the same
/// origin (RFC 9112 §9.3), as webhook senders that deliver a stream of events do: without it,
/// every event paid a connect (and with `https` a TLS handshake and, with a name, a
/// resolution). Dialing goes through the dialer: TLS verified against its trust, refused
/// addresses filtered after resolution; a kept connection was admitted when it was dialed.
///
/// A kept connection the server closed while it was idle fails before any byte of an answer
/// comes back; the request then goes once more on a fresh connection, if time is left. For a
/// POST that may send it twice (the server may have read it and closed before answering),
/// which the webhooks' at-least-once delivery allows and their `webhook-id` lets receivers
/// recognise.
///
/// Blocks the calling thread; callers run it off their event loops.
public final class KeepAliveClient: Sendable {
    public let dialer: StreamDialer
    /// Response bodies beyond this are refused (receivers answer webhooks with a few bytes).
    public let responseLimit: Int
    private let idle: IdleConnections

    /// - Parameters:
    ///   - idleLimit: a connection unused this long is closed rather than reused; below the
    ///     keep-alive timeouts servers commonly use (5 s in Node.js and Apache), so a kept
    ///     connection is rarely one the server is closing.
    ///   - perOrigin: connections kept per origin (as many as requests go there at once).
    ///   - now: the clock idle time is measured on (tests move it by hand).
    public init(
        dialer: StreamDialer, responseLimit: Int = 64 * 1024, idleLimit: Duration = .seconds(4), perOrigin: Int = 16,
        total: Int = 256, now: @escaping @Sendable () -> MonotonicTime = { .now() }
    ) {
        self.dialer = dialer
        self.responseLimit = responseLimit
        idle = IdleConnections(idleLimit: idleLimit, perOrigin: perOrigin, total: total, now: now)
    }

    deinit {
        idle.closeAll()
    }

    /// Connections kept for reuse now.
    public var keptConnections: Int { idle.count }

    /// The response, or a thrown ``HTTPClientError``, `SocketError`, `TLSError` or
    /// `HostResolver.ResolutionError`. A deadline that passes anywhere (connect, handshake,
    /// write, read) throws ``HTTPClientError/timedOut``. Name resolution is the system
    /// resolver's own and bounded by its own timeouts, not by `timeout`.
    public func send(_ request: OutboundRequest, timeout: Duration) throws -> HTTPClientResponse {
        let deadline = MonotonicTime.now() + timeout
        let origin = request.url.origin
        do {
            if let kept = idle.take(origin) {
                let received = kept.bytesReceived
                do {
                    return try exchange(request, on: kept, deadline: deadline)
                } catch where kept.bytesReceived == received {
                    // Closed by the server while idle: the request goes again on a fresh one,
                    // within the same deadline (after a timeout none is left, and the dial
                    // fails at once without connecting).
                }
            }
            let opened = try dialer.open(secure: origin.secure, host: origin.host, port: origin.port, deadline: deadline)
            let connection = HTTPClientConnection(opened: opened, secure: origin.secure, authority: origin.authority)
            return try exchange(request, on: connection, deadline: deadline)
        } catch let error as SocketError where error.kind == .timedOut {
            throw HTTPClientError.timedOut
        }
    }

    /// One request and its response on `connection`, which is then kept if the response
    /// leaves it usable, else closed (also when anything fails).
    private func exchange(_ request: OutboundRequest, on connection: HTTPClientConnection, deadline: MonotonicTime) throws -> HTTPClientResponse {
        var keep = false
        defer { keep ? idle.put(connection, for: request.url.origin) : connection.close() }
        try connection.sendRequest(request.method, request.url.target, headers: request.headers, body: request.body, deadline: deadline)
        let response = try connection.readResponse(method: request.method, limit: responseLimit, deadline: deadline)
        keep = ConnectionPersistence.persists(after: response, method: request.method, http10: connection.lastResponseWasHTTP10)
        return response
    }
}
