import Foundation
import Sockets
import SystemClock
import SystemCrypto

/// Opens the stream a request travels on: TCP to the origin, or to a forward proxy, with TLS
/// on top for `https`/`wss` (inside a CONNECT tunnel, RFC 9110 §9.3.6, when proxied).
public struct StreamDialer: Sendable {
    public let proxies: ProxyEnvironment
    public let tls: TLSClientContext
    public var connectTimeout: Duration
    /// Sent as `User-Agent` on every request of the connections this dialer opens.
    public var userAgent: String
    /// Judges each address a direct connection's host resolved to, before connecting to it:
    /// the service refuses private destinations for webhooks here, after resolution, so a
    /// name that resolves to a private address is caught as surely as a literal one. Nil
    /// admits every address.
    public var addressFilter: (@Sendable (SocketAddress) -> Bool)?

    public init(
        proxies: ProxyEnvironment, tls: TLSClientContext, userAgent: String = "readiness",
        connectTimeout: Duration = .seconds(5), addressFilter: (@Sendable (SocketAddress) -> Bool)? = nil
    ) {
        self.proxies = proxies
        self.tls = tls
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.addressFilter = addressFilter
    }

    public struct Opened {
        public let stream: any ByteStream
        /// The proxy the stream goes through, if any.
        public let proxy: ProxyEndpoint?
        /// Requests must use the absolute form (RFC 9112 §3.2.2): plain HTTP through a proxy.
        public let absoluteForm: Bool
        /// What TLS proved about the origin (nil for plain connections).
        public let peer: TLSPeerCheck?
        /// The dialer's `User-Agent`.
        public var userAgent: String = "readiness"
    }

    /// - Parameters:
    ///   - useProxy: false forces a direct connection even when a proxy applies.
    ///   - requireTrust: refuse an origin whose certificate does not verify for `host`.
    public func open(secure: Bool, host: String, port: Int, useProxy: Bool = true, requireTrust: Bool = true, deadline: MonotonicTime) throws -> Opened {
        let proxy = useProxy ? proxies.proxy(secure: secure, host: host) : nil
        let transport: any ByteStream
        if let proxy {
            guard proxy.scheme == "http" else { throw HTTPClientError.unsupportedProxy(proxy.scheme) }
            // The proxy picks the address it connects to, so every address the name has must
            // pass the filter: a proxy must not carry a request the direct path would refuse.
            if let addressFilter, !(try HostResolver.resolve(host, port: port, transport: .tcp)).allSatisfy(addressFilter) {
                throw HTTPClientError.refusedDestination(host)
            }
            transport = try Self.connect(host: proxy.host, port: proxy.port, timeout: min(connectTimeout, deadline.duration(since: .now())))
            if secure { try Self.tunnel(transport, to: host, port: port, proxy: proxy, deadline: deadline) }
        } else {
            transport = try connectDirectly(host: host, port: port, timeout: min(connectTimeout, deadline.duration(since: .now())))
        }
        guard secure else { return Opened(stream: transport, proxy: proxy, absoluteForm: proxy != nil, peer: nil, userAgent: userAgent) }
        let tlsStream = try TLSStream(over: transport, host: host, context: tls, deadline: deadline)
        let peer = tlsStream.peerCheck()
        if requireTrust && !peer.trusted {
            tlsStream.close()
            throw TLSError(message: peer.chainVerified
                ? "the certificate of \(host) does not name it"
                : "the certificate of \(host) does not verify (\(peer.verifyError ?? "unknown reason"))")
        }
        return Opened(stream: tlsStream, proxy: proxy, absoluteForm: false, peer: peer, userAgent: userAgent)
    }

    public static func connect(host: String, port: Int, timeout: Duration) throws -> TCPClientSocket {
        let addresses = try HostResolver.resolve(host, port: port, transport: .tcp)
        return try TCPClientSocket.connect(to: addresses, timeout: timeout)
    }

    /// Resolves `host`, keeps the addresses the filter admits and connects to one of those:
    /// the very addresses judged, so a second resolution cannot swap in another.
    private func connectDirectly(host: String, port: Int, timeout: Duration) throws -> TCPClientSocket {
        let resolved = try HostResolver.resolve(host, port: port, transport: .tcp)
        guard let addressFilter else { return try TCPClientSocket.connect(to: resolved, timeout: timeout) }
        let admitted = resolved.filter(addressFilter)
        guard !admitted.isEmpty else { throw HTTPClientError.refusedDestination(host) }
        return try TCPClientSocket.connect(to: admitted, timeout: timeout)
    }

    /// `CONNECT host:port` and its 2xx (RFC 9110 §9.3.6); afterwards the stream is the tunnel.
    public static func tunnel(_ stream: any ByteStream, to host: String, port: Int, proxy: ProxyEndpoint, deadline: MonotonicTime) throws {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var head = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let authorization = proxy.authorization { head += "Proxy-Authorization: \(authorization)\r\n" }
        head += "\r\n"
        try stream.write(Array(head.utf8), deadline: deadline)
        // The reader must not read past the head: the tunnel's first bytes belong to TLS, and
        // a proxy sends nothing after a 2xx until the client speaks.
        let reader = HTTPResponseReader(stream: stream)
        let response = try reader.readHead(deadline: deadline)
        guard (200...299).contains(response.status) else {
            stream.close()
            throw HTTPClientError.proxyRefused(response.status)
        }
    }
}
