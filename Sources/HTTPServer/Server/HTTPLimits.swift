/// Per-request and per-connection limits. Defaults follow common front-end proxies
/// (nginx: 8 KiB request line, 1 MiB body, 60 s keep-alive; 1,000 requests per connection).
public struct HTTPLimits: Sendable {
    /// Longest request line, CRLF excluded; beyond it 414 (RFC 9112 §3 recommends ≥ 8,000).
    public var maxRequestLineLength = 8 * 1024
    /// Largest header section (field lines with their CRLFs); beyond it 431 (RFC 6585 §5).
    public var maxHeaderSectionSize = 16 * 1024
    /// Most field lines in a header (or trailer) section; beyond it 431.
    public var maxHeaderCount = 100
    /// Largest body unless a route sets its own `bodyLimit`; beyond it 413, the excess unread.
    public var maxBodySize = 1 << 20
    /// Largest body read before a route's ``AdmissionCheck`` has accepted the head; larger
    /// (or chunked) bodies wait for it. Small bodies cost less to read than a check would.
    public var maxBodySizeWithoutAdmission = 64 * 1024
    /// Time from connection accept (or first byte of a request) to a complete head; then 408.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Time a kept-alive connection may sit between requests before it is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Grace period for a body before ``minimumBodyBytesPerSecond`` applies; then 408.
    public var bodyReadTimeout: Duration = .seconds(10)
    /// Slowest acceptable upload after the grace period (slow-body / slowloris protection).
    public var minimumBodyBytesPerSecond = 1024
    /// Requests served on one connection before it is closed with `Connection: close`.
    public var maxRequestsPerConnection = 1000
    /// Open connections across all loops; beyond it new connections are accepted and closed.
    public var maxConnections = 10_000
    /// Longest wait for the peer to close after we half-close, so a final response is not
    /// destroyed by a TCP reset (RFC 9112 §9.6).
    public var lingerTimeout: Duration = .seconds(2)

    public init() {}

    public static let `default` = HTTPLimits()
}
