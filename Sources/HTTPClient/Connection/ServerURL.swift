import Foundation

/// Where the service is: `--server http://host:port[/base]` or `https://…`.
public struct ServerURL: Sendable, Equatable, CustomStringConvertible {
    public let origin: HTTPOrigin
    /// Path prefix without a trailing slash ("" for the root).
    public let basePath: String

    public init?(_ text: String) {
        guard let components = URLComponents(string: text), components.query == nil, components.fragment == nil,
              let origin = HTTPOrigin(components)
        else { return nil }
        self.origin = origin
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }

    public var secure: Bool { origin.secure }
    public var host: String { origin.host }
    public var port: Int { origin.port }
    public var scheme: String { origin.scheme }
    public var authority: String { origin.authority }

    public var description: String { "\(origin)\(basePath)" }

    public func path(_ path: String) -> String { basePath + path }
}
