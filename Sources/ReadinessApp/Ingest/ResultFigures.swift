import ReadinessContract

/// The per-result numbers stored in their own columns so history queries need not open the
/// JSONB body: medians across the run's latency probes, as the site assessment combines them.
struct ResultFigures {
    var rttMs: Double?
    var jitterMs: Double?
    var lossPct: Double?

    init(_ result: ProbeResult) {
        let probes = result.latency ?? []
        rttMs = Self.median(of: probes) { $0.rttMs?.p50 }
        jitterMs = Self.median(of: probes) { $0.jitterMs }
        lossPct = Self.median(of: probes) { $0.lossPct }
    }

    /// The median of the values `value` gives (nil ones left out), sorted in a stack buffer:
    /// arrays built and sorted per column cost eight allocations a stored result.
    static func median<Probe>(of probes: [Probe], _ value: (Probe) -> Double?) -> Double? {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: probes.count) { buffer in
            var count = 0
            for probe in probes {
                guard let number = value(probe) else { continue }
                buffer.initializeElement(at: count, to: number)
                count += 1
            }
            guard count > 0 else { return nil }
            var values = UnsafeMutableBufferPointer(rebasing: buffer[..<count])
            values.sort()
            let middle = count / 2
            return count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
        }
    }
}
