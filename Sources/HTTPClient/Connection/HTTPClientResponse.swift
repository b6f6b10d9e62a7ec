import Foundation
/// A response as the HTTP client read it (RFC 9112): status, fields, body.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { FieldText.equalIgnoringASCIICase($0.name, name) }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The HTTP client's failures, in terms a person acts on.
public enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    case malformedResponse(String)
    case bodyTooLarge(Int)
    case proxyRefused(Int)
    case unsupportedProxy(String)
    /// Every address the host resolved to was refused by the dialer's address filter.
    case refusedDestination(String)
    /// The request's total time ran out.
    case timedOut

    public var description: String {
        switch self {
        case let .malformedResponse(why): "malformed HTTP response: \(why)"
        case let .bodyTooLarge(limit): "response body larger than \(limit) bytes"
        case let .proxyRefused(status): "the proxy refused the tunnel (HTTP \(status))"
        case let .unsupportedProxy(scheme): "proxy scheme \(scheme) is not supported (only http://)"
        case let .refusedDestination(host): "\(host) resolves only to addresses that are not allowed"
        case .timedOut: "the request timed out"
        }
    }
}
