/// The proxies the environment configures (`http_proxy`, `https_proxy`, `all_proxy`,
/// `no_proxy`, lower case first, then upper case, as curl reads them) and which one applies
/// to a given URL.
public struct ProxyEnvironment: Sendable, Equatable {
    public var httpProxy: ProxyEndpoint?
    public var httpsProxy: ProxyEndpoint?
    public var allProxy: ProxyEndpoint?
    public var noProxy: NoProxyList

    public init(httpProxy: ProxyEndpoint? = nil, httpsProxy: ProxyEndpoint? = nil, allProxy: ProxyEndpoint? = nil, noProxy: NoProxyList = NoProxyList(nil)) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.allProxy = allProxy
        self.noProxy = noProxy
    }

    public init(environment: [String: String]) {
        func variable(_ name: String) -> String? {
            for key in [name, name.uppercased()] {
                if let value = environment[key], !value.isEmpty { return value }
            }
            return nil
        }
        self.init(
            httpProxy: variable("http_proxy").flatMap(ProxyEndpoint.init),
            httpsProxy: variable("https_proxy").flatMap(ProxyEndpoint.init),
            allProxy: variable("all_proxy").flatMap(ProxyEndpoint.init),
            noProxy: NoProxyList(variable("no_proxy")))
    }

    /// Whether any proxy is configured at all.
    public var isConfigured: Bool { httpProxy != nil || httpsProxy != nil || allProxy != nil }

    /// The proxy for a request to `host` over `secure` (https/wss) or plain (http/ws), or nil
    /// when the request goes direct.
    public func proxy(secure: Bool, host: String) -> ProxyEndpoint? {
        guard let proxy = (secure ? httpsProxy : httpProxy) ?? allProxy else { return nil }
        return noProxy.excludes(host) ? nil : proxy
    }
}
