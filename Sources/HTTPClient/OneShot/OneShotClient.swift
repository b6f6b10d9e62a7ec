import Sockets
import SystemClock
import SystemCrypto

/// Sends ``OneShotRequest``s: dial (TLS verified against the dialer's trust, refused
/// addresses filtered after resolution), write, read the response, close, all within one
/// total timeout. Blocks the calling thread; callers run it off their event loops.
public struct OneShotClient: Sendable {
    public let dialer: StreamDialer
    /// Response bodies beyond this are refused (receivers answer webhooks with a few bytes).
    public var responseLimit: Int

    public init(dialer: StreamDialer, responseLimit: Int = 64 * 1024) {
        self.dialer = dialer
        self.responseLimit = responseLimit
    }

    /// The response, or a thrown ``HTTPClientError``, `SocketError`, `TLSError` or
    /// `HostResolver.ResolutionError`. A deadline that passes anywhere (connect, handshake,
    /// write, read) throws ``HTTPClientError/timedOut``. Name resolution is the system
    /// resolver's own and bounded by its own timeouts, not by `timeout`.
    public func send(_ request: OneShotRequest, timeout: Duration) throws -> HTTPClientResponse {
        let deadline = MonotonicTime.now() + timeout
        do {
            let opened = try dialer.open(secure: request.url.secure, host: request.url.host, port: request.url.port, deadline: deadline)
            let connection = HTTPClientConnection(opened: opened, secure: request.url.secure, authority: request.url.authority)
            defer { connection.close() }
            var headers = request.headers
            headers.append(("Connection", "close"))
            try connection.sendRequest(request.method, request.url.target, headers: headers, body: request.body, deadline: deadline)
            return try connection.readResponse(method: request.method, limit: responseLimit, deadline: deadline)
        } catch let error as SocketError where error.kind == .timedOut {
            throw HTTPClientError.timedOut
        }
    }
}
