import Foundation

/// Concrete hosts an agent can probe for a policy destination. A policy names patterns
/// (`*.sococo.com`) and CIDRs; a probe needs one address.
enum ProbeTargets {
    /// Documented representatives of the default policy's wildcards: hostnames that Sococo's
    /// and Amazon Chime's public documentation name under each domain (readiness-policy.md,
    /// Routes: "e.g. `app.sococo.com`, `as-vip.sococo.net`").
    static let representatives: [String: String] = [
        "*.sococo.com": "app.sococo.com",
        "*.sococo.net": "as-vip.sococo.net",
        "*.chime.aws": "media.chime.aws",
        "*.sdkassets.chime.aws": "static.sdkassets.chime.aws",
        "*.amazonaws.com": "s3.amazonaws.com",
    ]

    /// The host to probe for `destination`, or nil for `*` (any outbound: every other target,
    /// and the reflector, already exercise it).
    static func host(for destination: String) -> String? {
        if destination == "*" { return nil }
        if let known = representatives[destination] { return known }
        if destination.hasPrefix("*.") { return "www." + destination.dropFirst(2) }
        if let slash = destination.firstIndex(of: "/") {
            let address = String(destination[..<slash])
            // A host route (/32, /128) is the host itself: there is no network address to step past.
            let prefix = Int(destination[destination.index(after: slash)...])
            let hostPrefix = address.contains(":") ? 128 : 32
            return prefix == hostPrefix ? address : addressInside(address)
        }
        return destination
    }

    /// For an IPv4 CIDR, the first host address after the network address (99.77.128.0/18 →
    /// 99.77.128.1); IPv6 networks get `::1` appended to their prefix the same way.
    static func addressInside(_ network: String) -> String {
        if network.contains(":") { return network.hasSuffix("::") ? network + "1" : network }
        var octets = network.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return network }
        octets[3] = min(octets[3] + 1, 254)
        return octets.map(String.init).joined(separator: ".")
    }
}
