import Foundation
/// A response as the agent's HTTP client read it (RFC 9112): status, fields, body.
struct HTTPClientResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// The HTTP client's failures, in terms a person acts on.
enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    case malformedResponse(String)
    case bodyTooLarge(Int)
    case proxyRefused(Int)
    case unsupportedProxy(String)

    var description: String {
        switch self {
        case let .malformedResponse(why): "malformed HTTP response: \(why)"
        case let .bodyTooLarge(limit): "response body larger than \(limit) bytes"
        case let .proxyRefused(status): "the proxy refused the tunnel (HTTP \(status))"
        case let .unsupportedProxy(scheme): "proxy scheme \(scheme) is not supported (only http://)"
        }
    }
}
