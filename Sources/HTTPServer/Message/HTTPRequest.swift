/// A complete request: head plus the whole body (bodies are bounded by the route's limit).
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request-target as received (RFC 9112 §3.2).
    public var target: String
    /// The path of the target, still percent-encoded; path parameters are decoded by the router.
    public var path: String
    public var query: QueryParameters
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:], body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        let (path, query) = Self.split(target)
        self.path = String(path)
        self.query = QueryParameters(query)
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// Splits origin-form `path?query`; absolute-form targets (RFC 9112 §3.2.2) lose their
    /// scheme and authority first.
    static func split(_ target: String) -> (path: Substring, query: Substring) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let scheme = rest.range(of: "://") {
            let afterAuthority = rest[scheme.upperBound...]
            rest = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterAuthority[$0...] } ?? "/"
            if rest.hasPrefix("?") { rest = "/" + rest }
        }
        guard let mark = rest.firstIndex(of: "?") else { return (rest, "") }
        return (rest[..<mark], rest[rest.index(after: mark)...])
    }
}

extension HTTPRequest {
    /// The parser's path: target, path and query were split once, on the bytes.
    init(method: HTTPMethod, target: String, path: String, query: QueryParameters, version: HTTPVersion,
         headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        body = []
    }
}
