/// The frozen routes. Static paths are a short scan or one dictionary lookup; patterns with parameters are
/// tried in registration order.
struct RouteTable: Sendable {
    enum Lookup {
        case found(Route, PathParameters)
        /// The path exists but not for this method; `allow` is the 405 `Allow` value
        /// (RFC 9110 §15.5.6).
        case methodNotAllowed(allow: String)
        case notFound
    }

    private let staticRoutes: [String: MethodRoutes]
    /// The static routes as a list when there are few enough to scan.
    private let smallStaticRoutes: [(String, MethodRoutes)]?
    /// A scan that rejects most keys on their length beats hashing the path up to a few dozen
    /// keys (the service has about twenty static paths).
    private static let linearScanLimit = 32
    private let patterns: [(PathPattern, MethodRoutes)]

    init(routes: [PathPattern: [HTTPMethod: Route]], order: [PathPattern]) {
        var staticRoutes: [String: MethodRoutes] = [:]
        var patterns: [(PathPattern, MethodRoutes)] = []
        for pattern in order {
            guard let byMethod = routes[pattern] else { continue }
            let methods = MethodRoutes(byMethod)
            if pattern.isStatic {
                staticRoutes["/" + pattern.segments.map { if case .literal(let l) = $0 { l } else { "" } }
                    .joined(separator: "/")] = methods
            } else {
                patterns.append((pattern, methods))
            }
        }
        self.staticRoutes = staticRoutes
        smallStaticRoutes = staticRoutes.count <= Self.linearScanLimit ? staticRoutes.map { ($0.key, $0.value) } : nil
        self.patterns = patterns
    }

    func lookup(_ method: HTTPMethod, path: String) -> Lookup {
        if let smallStaticRoutes {
            // Length first: comparing two different strings goes through the standard library's
            // full (Unicode-aware) comparison, while lengths compare in one instruction.
            let length = path.utf8.count
            for (key, methods) in smallStaticRoutes where key.utf8.count == length && key == path {
                return select(method, methods, PathParameters())
            }
        } else if let methods = staticRoutes[path] {
            return select(method, methods, PathParameters())
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for (pattern, methods) in patterns {
            if let parameters = pattern.match(parts) {
                return select(method, methods, parameters)
            }
        }
        return .notFound
    }

    private func select(_ method: HTTPMethod, _ methods: MethodRoutes, _ parameters: PathParameters) -> Lookup {
        if let route = methods[method] { return .found(route, parameters) }
        // RFC 9110 §9.3.2: HEAD is answered like GET, without the content.
        if method == .head, let route = methods[.get] { return .found(route, parameters) }
        var allowed = methods.entries.map(\.method.rawValue)
        if methods[.get] != nil, methods[.head] == nil { allowed.append("HEAD") }
        return .methodNotAllowed(allow: allowed.sorted().joined(separator: ", "))
    }
}

/// The handful of methods on one path. A linear scan comparing short method strings beats
/// hashing the method for a dictionary, which every request paid.
struct MethodRoutes: Sendable {
    let entries: [(method: HTTPMethod, route: Route)]

    init(_ routes: [HTTPMethod: Route]) {
        entries = routes.map { (method: $0.key, route: $0.value) }.sorted { $0.method.rawValue < $1.method.rawValue }
    }

    subscript(method: HTTPMethod) -> Route? {
        for entry in entries where entry.method == method { return entry.route }
        return nil
    }
}
