/// One request sent on a connection of its own: the service's outbound calls (webhooks),
/// which go to many receivers and are too rare per receiver to keep connections for.
public struct OneShotRequest: Sendable {
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
