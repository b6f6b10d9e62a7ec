import Foundation

/// Scheme, host and port of an absolute `http` or `https` URL: what a connection needs. One
/// parse for the agent's server (``ServerURL``) and an outbound request's URL (``RequestURL``).
public struct HTTPOrigin: Sendable, Hashable, CustomStringConvertible {
    public let secure: Bool
    /// Without the brackets of an IPv6 literal.
    public let host: String
    public let port: Int

    /// Nil unless `components` name the http(s) scheme, a host and a port in 1...65535 (the
    /// scheme's default when absent).
    init?(_ components: URLComponents) {
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        secure = scheme == "https"
        self.host = host
        port = components.port ?? (secure ? 443 : 80)
        guard (1...65_535).contains(port) else { return nil }
    }

    public var scheme: String { secure ? "https" : "http" }

    /// `host[:port]` as RFC 9110 §7.2 `Host` wants it (the port only when not the default).
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    public var description: String { "\(scheme)://\(authority)" }
}
