import ReadinessContract
/// Bounds of the bandwidth probes.
enum ProbeLimits {
    /// 64 MiB each way: several seconds even on a gigabit link, and a bound on what one
    /// request can make the server hold.
    static let maxTransferBytes = 64 << 20
    /// What `GET /v1/probe/download` sends without `bytes`: the plan's download size.
    static let defaultDownloadBytes = AgentPlan.bandwidth.downloadBytes
}
