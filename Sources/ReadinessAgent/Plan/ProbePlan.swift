/// What the service asks this agent to probe (`GET /v1/agent/plan`, openapi `AgentPlan`).
public struct ProbePlan: Codable, Sendable, Equatable {
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

    public struct PolicyReference: Codable, Sendable, Equatable {
        public var name: String
        public var version: Int
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

    enum CodingKeys: String, CodingKey {
        case policy, reflector, latency, bandwidth
        case siteID = "site_id"
        case tcpTargets = "tcp_targets"
        case stunTargets = "stun_targets"
        case websocketTargets = "websocket_targets"
        case tlsTargets = "tls_targets"
        case udpTimeout = "udp_timeout"
        case intervalS = "interval_s"
    }
}
