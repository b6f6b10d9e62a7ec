import ReadinessContract

/// The figures of a latency series: RTT percentiles, RFC 3550 interarrival jitter and loss.
public enum LatencyStatistics {
    /// Nearest-rank percentile (the smallest sample with at least `p` % of samples at or
    /// below it): always a measured value, never an interpolation between two.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// RFC 3550 §6.4.1: over successive answered samples, D = the difference of their transit
    /// times (here the round trips), J += (|D| − J) / 16. Nil with fewer than two answers.
    public static func jitter(_ rtts: [Double?]) -> Double? {
        let answered = rtts.compactMap { $0 }
        guard answered.count >= 2 else { return nil }
        var jitter = 0.0
        for index in 1..<answered.count {
            let difference = abs(answered[index] - answered[index - 1])
            jitter += (difference - jitter) / 16
        }
        return jitter
    }

    /// The contract's latency entry for a series; `nil` entries are unanswered probes.
    public static func summarize(host: String, transport: ProbeResult.TransportProtocol, rtts: [Double?]) -> ProbeResult.LatencyProbe {
        let answered = rtts.compactMap { $0 }.sorted()
        let loss = rtts.isEmpty ? 100 : Double(rtts.count - answered.count) / Double(rtts.count) * 100
        var summary: ProbeResult.RTTSummary?
        if let low = answered.first, let high = answered.last, let p50 = percentile(answered, 50), let p95 = percentile(answered, 95) {
            summary = .init(min: round(low), p50: round(p50), p95: round(p95), max: round(high))
        }
        return .init(host: host, transport, samples: rtts.count, rttMs: summary, jitterMs: jitter(rtts).map(round), lossPct: round(loss))
    }

    /// 0.01 ms / 0.01 % resolution: finer than the clock's useful precision, coarse enough
    /// that the canonical JSON does not carry binary-float noise.
    static func round(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}
