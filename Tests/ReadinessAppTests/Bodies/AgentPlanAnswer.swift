/// `GET /v1/agent/plan` as the service answers it, read independently of the contract's
/// `AgentPlan` (which the agent decodes it with): only what the tests read.
struct AgentPlanAnswer: Decodable {
    struct Policy: Decodable {
        let version: Int
    }

    struct Endpoint: Decodable {
        let host: String
        let port: Int
    }

    struct TLSTarget: Decodable {
        let host: String
    }

    struct UDPTimeout: Decodable {
        let maxS: Int
        let stepsS: [Int]
    }

    struct Latency: Decodable {
        let samples: Int
    }

    struct Bandwidth: Decodable {
        let downloadBytes: Int
    }

    /// A policy rule the plan has no probe for, sent so the agent can say so.
    struct UntargetedRule: Decodable {
        let rule: String
        let code: String
        let reason: String
    }

    let siteId: String
    let policy: Policy
    let tcpTargets: [Endpoint]
    let stunTargets: [Endpoint]
    let reflector: Endpoint
    let websocketTargets: [String]
    let tlsTargets: [TLSTarget]
    let udpTimeout: UDPTimeout
    let latency: Latency
    let bandwidth: Bandwidth
    let intervalS: Int
    let untargetedRules: [UntargetedRule]?
}
