import Foundation

/// One forward proxy from `http_proxy` and friends: `http://[user:password@]host[:port]`, or
/// a bare `host:port` (curl's reading, which treats it as `http://`).
public struct ProxyEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int
    /// `Proxy-Authorization` value (RFC 9110 §11.7.2, Basic per RFC 7617), if the URL had
    /// credentials. Never printed.
    public let authorization: String?

    /// curl's default proxy port when the URL names none.
    static let defaultPort = 1080

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
              var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.scheme = scheme
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : Self.defaultPort)
        if let user = components.user {
            let credentials = "\(user.removingPercentEncoding ?? user):\(components.password?.removingPercentEncoding ?? "")"
            authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
        } else {
            authorization = nil
        }
    }

    /// Where the proxy is, without credentials: safe for progress lines.
    public var description: String { "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
