import Foundation

/// One agent run as uploaded under the `probe-result/v1` contract
/// (shared/reference/probe-result-v1.md). Keys are the contract's snake_case names.
///
/// `schema`, `run_id`, `started_at`, `finished_at`, `agent` and `network` are required
/// (the contract calls "every section after `network`" optional); the probe sections are
/// optional and a missing one makes the rules that need it come out unknown.
public struct ProbeResult: Codable, Sendable, Equatable {
    public static let schemaName = "probe-result/v1"

    public var schema: String
    public var runID: UUID
    public var agent: Agent
    public var startedAt: Date
    public var finishedAt: Date
    public var network: Network
    public var reachability: [ReachabilityProbe]?
    public var gateway: [GatewayProbe]?
    public var tlsInspection: [TLSInspectionProbe]?
    public var udpTimeout: UDPTimeoutProbe?
    public var latency: [LatencyProbe]?
    public var bandwidth: BandwidthProbe?

    typealias CodingKeys = ResultField

    public init(
        runID: UUID, agent: Agent, startedAt: Date, finishedAt: Date, network: Network,
        reachability: [ReachabilityProbe]? = nil, gateway: [GatewayProbe]? = nil,
        tlsInspection: [TLSInspectionProbe]? = nil, udpTimeout: UDPTimeoutProbe? = nil,
        latency: [LatencyProbe]? = nil, bandwidth: BandwidthProbe? = nil
    ) {
        self.schema = Self.schemaName
        self.runID = runID
        self.agent = agent
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.network = network
        self.reachability = reachability
        self.gateway = gateway
        self.tlsInspection = tlsInspection
        self.udpTimeout = udpTimeout
        self.latency = latency
        self.bandwidth = bandwidth
    }

    public struct Agent: Codable, Sendable, Equatable {
        public var version: String
        public var os: String
        public var hostname: String?

        typealias CodingKeys = AgentField

        public init(version: String, os: String, hostname: String? = nil) {
            self.version = version
            self.os = os
            self.hostname = hostname
        }
    }
}
