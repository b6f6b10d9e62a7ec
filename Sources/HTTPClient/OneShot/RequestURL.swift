import Foundation

/// An absolute `http` or `https` URL a one-shot request is sent to: where to connect and
/// the request target (RFC 9112 §3.2.1 origin form: path and query).
public struct RequestURL: Sendable, Equatable, CustomStringConvertible {
    public let secure: Bool
    public let host: String
    public let port: Int
    /// Path and query as sent on the request line; "/" when the URL has no path.
    public let target: String

    /// Nil for anything but an absolute http(s) URL with a host; user information is refused
    /// (credentials belong in headers, where they are not logged with the URL).
    public init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        secure = scheme == "https"
        self.host = host
        port = components.port ?? (secure ? 443 : 80)
        guard (1...65_535).contains(port) else { return nil }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    /// `host[:port]` as RFC 9110 §7.2 `Host` wants it (the port only when not the default).
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Scheme and authority only: the path and query may carry a token (a Slack or Jira
    /// automation URL does), so logs and delivery records name the origin.
    public var origin: String { "\(secure ? "https" : "http")://\(authority)" }

    public var description: String { origin }
}
