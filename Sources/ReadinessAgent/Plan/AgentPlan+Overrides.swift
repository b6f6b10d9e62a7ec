import ReadinessContract
extension AgentPlan {
    /// The plan with the operator's overrides applied: latency sample count and interval, and
    /// a cap on the UDP idle-timeout probe (steps above it dropped, the cap as the last step).
    func applying(latencySamples: Int?, latencyIntervalMs: Int?, udpTimeoutMaxS: Int?) -> AgentPlan {
        var plan = self
        if let latencySamples { plan.latency.samples = latencySamples }
        if let latencyIntervalMs { plan.latency.intervalMs = latencyIntervalMs }
        if let cap = udpTimeoutMaxS, cap < plan.udpTimeout.maxS {
            var steps = plan.udpTimeout.stepsS.filter { $0 < cap }
            if cap > 0 { steps.append(cap) }
            plan.udpTimeout = UDPTimeout(maxS: cap, stepsS: steps)
        }
        return plan
    }

    /// The hosts media flows to: the STUN targets (the media servers) and the reflector.
    var mediaTargets: [HostPort] {
        var seen = Set<HostPort>()
        return (stunTargets + [reflector]).filter { seen.insert($0).inserted }
    }
}
