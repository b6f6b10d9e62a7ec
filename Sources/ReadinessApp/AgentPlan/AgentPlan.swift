import Foundation
import ReadinessDomain

/// What an agent should probe (openapi `AgentPlan`), derived from its site's policy
/// document so a new policy version changes the agents' work without a new agent release.
struct AgentPlan: Encodable, Sendable {
    struct HostPort: Encodable, Sendable, Hashable {
        var host: String
        var port: Int
    }
    /// A route rule the plan has no target for: it will read unknown in every assessment.
    struct UntargetedRule: Encodable, Sendable, Equatable {
        var rule: String
        var code: String
        var reason: String
    }
    struct TLSTarget: Encodable, Sendable, Equatable {
        var host: String
    }
    struct Latency: Encodable, Sendable, Equatable {
        var samples: Int
        var intervalMs: Int
        enum CodingKeys: String, CodingKey {
            case samples
            case intervalMs = "interval_ms"
        }
    }
    struct UDPTimeout: Encodable, Sendable, Equatable {
        var maxS: Int
        var stepsS: [Int]
        enum CodingKeys: String, CodingKey {
            case maxS = "max_s"
            case stepsS = "steps_s"
        }
    }
    struct Bandwidth: Encodable, Sendable, Equatable {
        var downloadBytes: Int
        var uploadBytes: Int
        enum CodingKeys: String, CodingKey {
            case downloadBytes = "download_bytes"
            case uploadBytes = "upload_bytes"
        }
    }

    var siteID: String
    var policy: RescoreResult.PolicyReference
    var tcpTargets: [HostPort]
    var stunTargets: [HostPort]
    var reflector: HostPort
    var websocketTargets: [String]
    var tlsTargets: [TLSTarget]
    var latency: Latency
    var udpTimeout: UDPTimeout
    var bandwidth: Bandwidth
    var intervalS: Int
    var untargetedRules: [UntargetedRule]

    enum CodingKeys: String, CodingKey {
        case policy, reflector, latency, bandwidth
        case siteID = "site_id"
        case tcpTargets = "tcp_targets"
        case stunTargets = "stun_targets"
        case websocketTargets = "websocket_targets"
        case tlsTargets = "tls_targets"
        case udpTimeout = "udp_timeout"
        case intervalS = "interval_s"
        case untargetedRules = "untargeted_rules"
    }
}
