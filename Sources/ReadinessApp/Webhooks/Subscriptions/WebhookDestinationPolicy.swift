import Foundation
import Sockets

/// Where the service may send a webhook. Checked when a subscription is created or its URL
/// changed (on every address the host resolves to then), and meant to be checked again by the
/// delivery on the address it connects to, since a name can resolve elsewhere by then.
///
/// Pure: the URL's syntax and the addresses' classes decide; resolving the name is the
/// caller's (``WebhookDestinationCheck``).
struct WebhookDestinationPolicy: Sendable, Equatable {
    /// `READINESS_WEBHOOK_ALLOW_PRIVATE`: plain `http` and non-global addresses allowed.
    var allowPrivate: Bool

    /// A URL that passed ``destination(of:)``: where to connect.
    struct Destination: Sendable, Equatable {
        let scheme: String
        /// Without brackets for an IPv6 literal.
        let host: String
        let port: Int

        /// The host as an IP literal, when it is one.
        var literalAddress: SocketAddress? { SocketAddress(ip: host, port: UInt16(clamping: port)) }
    }

    /// Why a destination is refused, in words for a 422's detail (no secret is in them: the
    /// URL's credentials are refused before anything else is said about it).
    enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notAbsolute
        case scheme(String)
        case plainHTTP
        case credentials
        case fragment
        case noHost
        case address(host: String, address: String, DestinationAddressClass)
        case unresolvable(host: String, reason: String)

        var description: String {
            switch self {
            case .notAbsolute: return "must be an absolute URL (https://host/path)"
            case .scheme(let scheme): return "must be an https URL, not \(scheme.prefix(16))"
            case .plainHTTP:
                return "must be https; plain http only when the service runs with READINESS_WEBHOOK_ALLOW_PRIVATE"
            case .credentials: return "must not carry credentials (user:password@): every read of the webhook would show them"
            case .fragment: return "must not have a fragment (#...): it is never sent"
            case .noHost: return "must name a host"
            case .address(let host, let address, let kind):
                let subject = host == address ? address : "'\(host.prefix(255))' resolves to \(address), which"
                return "\(subject) is \(kind.phrase); such destinations need READINESS_WEBHOOK_ALLOW_PRIVATE"
            case .unresolvable(let host, let reason): return "host '\(host.prefix(255))' does not resolve (\(reason))"
            }
        }
    }

    /// The URL's scheme, host and port, or why it cannot be a destination.
    func destination(of url: String) -> Result<Destination, Refusal> {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return .failure(.notAbsolute)
        }
        guard scheme == "https" || scheme == "http" else { return .failure(.scheme(scheme)) }
        if components.user != nil || components.password != nil { return .failure(.credentials) }
        guard var host = components.host, !host.isEmpty else { return .failure(.noHost) }
        if components.fragment != nil { return .failure(.fragment) }
        if scheme == "http" && !allowPrivate { return .failure(.plainHTTP) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return .success(Destination(scheme: scheme, host: host.lowercased(), port: components.port ?? (scheme == "https" ? 443 : 80)))
    }

    /// nil when every address may be sent to; else the first that may not. Every one counts:
    /// a name with one public and one private record could otherwise be aimed at either.
    func refusal(host: String, addresses: [SocketAddress]) -> Refusal? {
        guard !allowPrivate else { return nil }
        for address in addresses {
            let kind = DestinationAddressClass(ipBytes: address.ipBytes)
            if kind != .global { return .address(host: host, address: address.ip, kind) }
        }
        return nil
    }
}
