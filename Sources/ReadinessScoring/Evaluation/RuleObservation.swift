import ReadinessContract
/// What one rule saw, in a form shared by a single run and a window of runs, so the same
/// judgement code scores both.
enum RuleObservation: Sendable, Equatable {
    /// Routes: runs in which a probe matched the route, runs in which every matching probe
    /// was reachable; and, for the detail, matching probes and how many failed.
    case route(runsTested: Int, runsReached: Int, probesMatched: Int, probesFailed: Int)
    /// Proxy, VPN, gateway, TLS inspection: runs that could tell, and runs that showed the
    /// bad condition (proxy in the media path, full tunnel, blocked, intercepted).
    case condition(runsKnown: Int, runsWithCondition: Int)
    case udpTimeout(ProbeResult.UDPTimeoutProbe?)
    case metric(Double?)
    case bandwidth(ProbeResult.BandwidthProbe?)
    /// The built-in DNS rule: runs that probed, runs with unresolved hosts, and the hosts.
    case resolution(ResolutionTally)
}

/// Small order statistics used by observations and the window assessment.
enum Statistics {
    /// The median; the mean of the two middle values for an even count.
    static func median(_ values: [Double]) -> Double? {
        var copy = values
        return copy.withUnsafeMutableBufferPointer { median($0) }
    }

    /// The median of `values`, sorting them in place (no allocation on the per-result path).
    static func median(_ buffer: UnsafeMutableBufferPointer<Double>) -> Double? {
        guard !buffer.isEmpty else { return nil }
        if buffer.count == 1 { return buffer[0] }
        var values = buffer  // sorts the caller's memory: the pointer is copied, not the values
        values.sort()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    /// Nearest-rank percentile (`p` in 0...100): an observed value, never an interpolation.
    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
