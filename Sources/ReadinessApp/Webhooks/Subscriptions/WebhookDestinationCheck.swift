import Foundation
import Sockets

/// ``WebhookDestinationPolicy`` with the name resolved: what a subscription's URL is checked
/// against when it is created or changed. The resolver is injected so a test can give a name
/// any addresses; the service's blocks on `getaddrinfo` on a thread of its own.
struct WebhookDestinationCheck: Sendable {
    typealias Resolver = @Sendable (_ host: String, _ port: Int) async throws -> [SocketAddress]

    let policy: WebhookDestinationPolicy
    var resolve: Resolver = Self.systemResolver

    static let systemResolver: Resolver = { host, port in
        try await DedicatedThread.run(name: "readiness-webhook-resolve") {
            try HostResolver.resolve(host, port: port, transport: .tcp)
        }
    }

    /// nil when `url` may be a destination; else the refusal.
    func refusal(for url: String) async -> WebhookDestinationPolicy.Refusal? {
        let destination: WebhookDestinationPolicy.Destination
        switch policy.destination(of: url) {
        case .failure(let refusal): return refusal
        case .success(let value): destination = value
        }
        if let literal = destination.literalAddress {
            return policy.refusal(host: destination.host, addresses: [literal])
        }
        do {
            let addresses = try await resolve(destination.host, destination.port)
            return policy.refusal(host: destination.host, addresses: addresses)
        } catch let error as HostResolver.ResolutionError {
            return .unresolvable(host: destination.host, reason: error.message)
        } catch {
            return .unresolvable(host: destination.host, reason: "\(error)")
        }
    }
}
