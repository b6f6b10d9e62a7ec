/// What the service asks an agent to probe (`GET /v1/agent/plan`, openapi `AgentPlan`): the one
/// declaration of the plan's wire shape. The service derives it from a site's policy
/// (`ReadinessApp/AgentPlan`); the agent decodes, checks and runs it (`ReadinessAgent/Plan`).
/// Members one side does not use are optional, so each side's bytes stay as they were: the
/// service sends no `expected_issuers`, and the agent accepts a plan without `untargeted_rules`.
public struct AgentPlan: Codable, Sendable, Equatable {
    public struct HostPort: Codable, Sendable, Hashable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public struct TLSTarget: Codable, Sendable, Equatable {
        public var host: String
        /// Issuers the policy expects; another issuer on a verifying chain is interception too.
        public var expectedIssuers: [String]?

        enum CodingKeys: String, CodingKey {
            case host
            case expectedIssuers = "expected_issuers"
        }

        public init(host: String, expectedIssuers: [String]? = nil) {
            self.host = host
            self.expectedIssuers = expectedIssuers
        }
    }

    public struct Latency: Codable, Sendable, Equatable {
        public var samples: Int
        public var intervalMs: Int

        enum CodingKeys: String, CodingKey {
            case samples
            case intervalMs = "interval_ms"
        }

        public init(samples: Int, intervalMs: Int) {
            self.samples = samples
            self.intervalMs = intervalMs
        }
    }

    public struct UDPTimeout: Codable, Sendable, Equatable {
        public var maxS: Int
        public var stepsS: [Int]

        enum CodingKeys: String, CodingKey {
            case maxS = "max_s"
            case stepsS = "steps_s"
        }

        public init(maxS: Int, stepsS: [Int]) {
            self.maxS = maxS
            self.stepsS = stepsS
        }
    }

    public struct Bandwidth: Codable, Sendable, Equatable {
        public var downloadBytes: Int
        public var uploadBytes: Int

        enum CodingKeys: String, CodingKey {
            case downloadBytes = "download_bytes"
            case uploadBytes = "upload_bytes"
        }

        public init(downloadBytes: Int, uploadBytes: Int) {
            self.downloadBytes = downloadBytes
            self.uploadBytes = uploadBytes
        }
    }

    /// The policy version the plan was derived from (openapi `PolicyVersionRef`).
    public struct PolicyReference: Codable, Sendable, Equatable {
        public var name: String
        public var version: Int

        public init(name: String, version: Int) {
            self.name = name
            self.version = version
        }
    }

    /// A route rule the plan has no target for: it will read unknown in every assessment.
    public struct UntargetedRule: Codable, Sendable, Equatable {
        public var rule: String
        public var code: String
        public var reason: String

        public init(rule: String, code: String, reason: String) {
            self.rule = rule
            self.code = code
            self.reason = reason
        }
    }

    public var siteID: String
    public var policy: PolicyReference
    public var tcpTargets: [HostPort]
    public var stunTargets: [HostPort]
    public var reflector: HostPort
    public var websocketTargets: [String]
    public var tlsTargets: [TLSTarget]
    public var latency: Latency
    public var udpTimeout: UDPTimeout
    public var bandwidth: Bandwidth
    public var intervalS: Int
    /// Always sent by the service (empty when every route rule has a target); agents may ignore
    /// it, and a plan without it decodes.
    public var untargetedRules: [UntargetedRule]?

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

    public init(
        siteID: String, policy: PolicyReference, tcpTargets: [HostPort], stunTargets: [HostPort], reflector: HostPort,
        websocketTargets: [String], tlsTargets: [TLSTarget], latency: Latency, udpTimeout: UDPTimeout,
        bandwidth: Bandwidth, intervalS: Int, untargetedRules: [UntargetedRule]? = nil
    ) {
        self.siteID = siteID
        self.policy = policy
        self.tcpTargets = tcpTargets
        self.stunTargets = stunTargets
        self.reflector = reflector
        self.websocketTargets = websocketTargets
        self.tlsTargets = tlsTargets
        self.latency = latency
        self.udpTimeout = udpTimeout
        self.bandwidth = bandwidth
        self.intervalS = intervalS
        self.untargetedRules = untargetedRules
    }
}
