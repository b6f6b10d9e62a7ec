/// A request the service sends out (a webhook): to an absolute URL, with its whole body.
/// ``KeepAliveClient`` sends it on a kept-alive connection to its origin when it has one.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: RequestURL
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String, url: RequestURL, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
