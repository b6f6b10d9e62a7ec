import Foundation

/// An absolute `http` or `https` URL an outbound request is sent to: where to connect and
/// the request target (RFC 9112 §3.2.1 origin form: path and query).
public struct RequestURL: Sendable, Equatable, CustomStringConvertible {
    /// Where to connect. Also what logs and delivery records name: the path and query may
    /// carry a token (a Slack or Jira automation URL does).
    public let origin: HTTPOrigin
    /// Path and query as sent on the request line; "/" when the URL has no path.
    public let target: String

    /// Nil for anything but an absolute http(s) URL with a host; user information is refused
    /// (credentials belong in headers, where they are not logged with the URL).
    public init?(_ text: String) {
        guard let components = URLComponents(string: text), components.user == nil, components.password == nil,
              let origin = HTTPOrigin(components)
        else { return nil }
        self.origin = origin
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    public var secure: Bool { origin.secure }
    public var host: String { origin.host }
    public var port: Int { origin.port }
    public var authority: String { origin.authority }

    public var description: String { origin.description }
}
