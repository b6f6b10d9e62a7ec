import Foundation
import Sockets
import SystemClock

/// One HTTP/1.1 connection to an origin (directly or through a proxy) that sends requests one
/// after another and reads their responses (RFC 9112). Kept alive between requests unless
/// the server says `Connection: close`.
public final class HTTPClientConnection {
    public let opened: StreamDialer.Opened
    private let secure: Bool
    private let authority: String
    private let reader: HTTPResponseReader

    /// A connection to the service, through its proxy if one applies, trusting only a
    /// certificate that verifies for the server's name.
    public convenience init(dialer: StreamDialer, server: ServerURL, deadline: MonotonicTime) throws {
        let opened = try dialer.open(secure: server.secure, host: server.host, port: server.port, deadline: deadline)
        self.init(opened: opened, secure: server.secure, authority: server.authority)
    }

    public init(opened: StreamDialer.Opened, secure: Bool, authority: String) {
        self.opened = opened
        self.secure = secure
        self.authority = authority
        reader = HTTPResponseReader(stream: opened.stream)
    }

    /// Writes a request head (and `body`, if given). `Content-Length` is set from
    /// `contentLength` when the body is sent separately with ``sendBody(_:deadline:)``.
    public func sendRequest(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        contentLength: Int? = nil, deadline: MonotonicTime
    ) throws {
        let target = opened.absoluteForm ? "\(secure ? "https" : "http")://\(authority)\(path)" : path
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: \(opened.userAgent)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let length = body?.count ?? contentLength { head += "Content-Length: \(length)\r\n" }
        if opened.absoluteForm, let authorization = opened.proxy?.authorization {
            head += "Proxy-Authorization: \(authorization)\r\n"
        }
        head += "\r\n"
        try opened.stream.write(Array(head.utf8) + (body ?? []), deadline: deadline)
    }

    public func sendBody(_ bytes: [UInt8], deadline: MonotonicTime) throws {
        try opened.stream.write(bytes, deadline: deadline)
    }

    /// The response to the last request, its body read whole (up to `limit` bytes).
    public func readResponse(method: String, limit: Int = 4 << 20, deadline: MonotonicTime) throws -> HTTPClientResponse {
        let head = try reader.readHead(deadline: deadline)
        let body = try reader.readBody(headers: head.headers, status: head.status, requestMethod: method, limit: limit, deadline: deadline)
        return HTTPClientResponse(status: head.status, headers: head.headers, body: body)
    }

    /// The head of the response to the last request; the body is then read with
    /// ``streamBody(of:deadline:consume:)``.
    public func readHead(deadline: MonotonicTime) throws -> (status: Int, headers: [(name: String, value: String)]) {
        try reader.readHead(deadline: deadline)
    }

    @discardableResult
    public func streamBody(
        of head: (status: Int, headers: [(name: String, value: String)]), method: String, deadline: MonotonicTime,
        consume: ([UInt8]) throws -> Bool
    ) throws -> Bool {
        try reader.streamBody(headers: head.headers, status: head.status, requestMethod: method, deadline: deadline, consume: consume)
    }

    public func close() {
        opened.stream.close()
    }

    /// Bytes of responses read on this connection so far.
    public var bytesReceived: Int { reader.bytesReceived }

    /// The last response's head said HTTP/1.0.
    public var lastResponseWasHTTP10: Bool { reader.lastHeadWasHTTP10 }
}
