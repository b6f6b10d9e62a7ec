import ReadinessDomain

extension ProbeSuite {
    func udpReachability() async -> [ProbeResult.ReachabilityProbe] { [] }
    func latency(_ udp: [ProbeResult.ReachabilityProbe]) async -> [ProbeResult.LatencyProbe] { [] }
    func udpTimeout() async -> ProbeResult.UDPTimeoutProbe? { nil }
}
