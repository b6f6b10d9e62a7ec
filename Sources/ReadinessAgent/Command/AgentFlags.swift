/// The `run` command's flags as given (nil: not given). The config file fills what is nil.
public struct AgentFlags: Sendable, Equatable {
    public var server: String?
    public var token: String?
    public var tokenFile: String?
    public var once = false
    public var every: String?
    public var dryRun = false
    public var config: String?
    public var spool: String?
    public var latencySamples: Int?
    public var latencyIntervalMs: Int?
    public var bandwidthSeconds: Double?
    public var udpTimeoutMaxS: Int?
    public var caFile: String?
    public var quiet = false

    public init() {}
}
