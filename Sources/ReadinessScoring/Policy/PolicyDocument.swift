import Foundation

/// A readiness policy as data (readiness-policy.md: "A policy is data, not code"): versioned,
/// stored, served with a `source` on every rule. Enumerated fields are kept as strings here so
/// that a bad value is reported by `PolicyValidator` with its JSON pointer instead of failing
/// the whole decode; `Policy` is the validated, compiled form.
public struct PolicyDocument: Codable, Sendable, Equatable {
    /// The policy's name, e.g. `sococo`.
    public var policy: String
    public var version: Int
    public var title: String
    /// Results older than this are not used; a site with none newer is `stale`.
    public var freshnessWindowS: Double
    /// The route rules whose outcome decides the transport a site ends on.
    public var transport: TransportRoutes
    public var rules: [PolicyRule]

    enum CodingKeys: String, CodingKey {
        case policy, version, title, transport, rules
        case freshnessWindowS = "freshness_window_s"
    }

    public struct TransportRoutes: Codable, Sendable, Equatable {
        /// Direct UDP to the media servers (best).
        public var mediaRoute: String
        /// UDP 443 only (TURN over UDP 443).
        public var udp443Route: String
        /// TCP/TLS 443 (last resort, relayed media over TCP).
        public var tlsRoute: String

        enum CodingKeys: String, CodingKey {
            case mediaRoute = "media_route"
            case udp443Route = "udp_443_route"
            case tlsRoute = "tls_route"
        }
    }
}

/// One rule: what it checks (`kind` plus its parameters), the tiers it gates, where the
/// threshold comes from, and what the administrator should do when it is breached.
public struct PolicyRule: Codable, Sendable, Equatable {
    public var id: String
    /// `route`, `direct_media_path`, `vpn_media_path`, `gateway`, `tls_inspection`,
    /// `udp_timeout`, `rtt`, `jitter`, `loss` or `bandwidth`.
    public var kind: String
    /// Stable finding code, e.g. `UDP_3478_BLOCKED`.
    public var code: String
    /// `seed`, `chime` or `derived` (readiness-policy.md provenance tags).
    public var source: String
    public var citation: String
    public var remediation: String
    public var tiers: [TierRequirement]
    /// For `route`: the protocol, port and destinations that must be reachable.
    public var route: RouteSpec?
    /// For `gateway`, `tls_inspection`, `rtt`, `jitter`, `loss`: the hosts the rule looks at.
    public var destinations: [String]?
    /// For `bandwidth`: the safety margin over the per-user profile.
    public var headroom: Double?

    public struct RouteSpec: Codable, Sendable, Equatable {
        public var `protocol`: String
        public var port: Int
        public var destinations: [String]
    }
}

/// What one tier requires of a rule.
public struct TierRequirement: Codable, Sendable, Equatable {
    /// `optimal` or `minimal`.
    public var tier: String
    /// `fail` (the tier is not met) or `warn` (shown, but the tier still counts as met).
    public var onBreach: String
    /// For metric kinds: the comparison the measured value must satisfy.
    public var limit: Limit?
    /// For `udp_timeout`: the threshold rises to the site's longest call when that is longer.
    public var atLeastLongestCall: Bool?
    /// For `bandwidth`: kbps per concurrent user.
    public var profile: BandwidthProfile?
    /// Overrides the rule's provenance for this tier when they differ.
    public var source: String?
    public var citation: String?

    enum CodingKeys: String, CodingKey {
        case tier, limit, profile, source, citation
        case onBreach = "on_breach"
        case atLeastLongestCall = "at_least_longest_call"
    }

    public struct Limit: Codable, Sendable, Equatable {
        /// `lt`, `le`, `gt` or `ge`: observed `comparison` value passes.
        public var comparison: String
        public var value: Double
    }

    public struct BandwidthProfile: Codable, Sendable, Equatable {
        public var upKbps: Double
        public var downKbps: Double

        enum CodingKeys: String, CodingKey {
            case upKbps = "up_kbps"
            case downKbps = "down_kbps"
        }
    }
}
