import ReadinessDomain

/// The per-result numbers stored in their own columns so history queries need not open the
/// JSONB body: medians across the run's latency probes, as the site assessment combines them.
struct ResultFigures {
    var rttMs: Double?
    var jitterMs: Double?
    var lossPct: Double?

    init(_ result: ProbeResult) {
        let probes = result.latency ?? []
        rttMs = Self.median(probes.compactMap { $0.rttMs?.p50 })
        jitterMs = Self.median(probes.compactMap(\.jitterMs))
        lossPct = Self.median(probes.map(\.lossPct))
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
