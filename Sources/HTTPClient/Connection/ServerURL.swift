import Foundation

/// Where the service is: `--server http://host:port[/base]` or `https://…`.
public struct ServerURL: Sendable, Equatable, CustomStringConvertible {
    public let secure: Bool
    public let host: String
    public let port: Int
    /// Path prefix without a trailing slash ("" for the root).
    public let basePath: String

    public init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        secure = scheme == "https"
        self.host = host
        port = components.port ?? (secure ? 443 : 80)
        guard (1...65_535).contains(port) else { return nil }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }

    public var scheme: String { secure ? "https" : "http" }

    /// `host[:port]` as RFC 9110 §7.2 `Host` wants it (the port only when not the default).
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    public var description: String { "\(scheme)://\(authority)\(basePath)" }

    public func path(_ path: String) -> String { basePath + path }
}
