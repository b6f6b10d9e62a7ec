import Foundation

/// The history downsampling of ``HistoryQuery`` done in memory, for re-scored results that
/// exist nowhere in the database. Same rules: worst verdict, median score (rounded half to
/// even like PostgreSQL's `round(float8)`), median RTT/jitter/loss, 10th-percentile bandwidth,
/// `percentile_cont` interpolation throughout.
enum HistoryBucketing {
    private static let verdictOrder = ["not_ready", "insufficient_data", "minimal", "optimal"]

    static func points(_ raw: [HistoryPoint], bucket: HistoryBucket) -> [HistoryPoint] {
        let width: TimeInterval
        switch bucket {
        case .raw: return raw
        case .hour: width = 3600
        case .day: width = 86_400
        }
        var groups: [(start: Date, members: [HistoryPoint])] = []
        for point in raw.sorted(by: { $0.at < $1.at }) {
            let start = Date(timeIntervalSince1970: (point.at.timeIntervalSince1970 / width).rounded(.down) * width)
            if groups.last?.start == start { groups[groups.count - 1].members.append(point) } else { groups.append((start, [point])) }
        }
        return groups.map { group in
            let members = group.members
            let worst = members.map { verdictOrder.firstIndex(of: $0.verdict) ?? verdictOrder.count }.min() ?? 0
            return HistoryPoint(
                at: group.start, verdict: worst < verdictOrder.count ? verdictOrder[worst] : "optimal",
                score: percentile(0.5, members.compactMap { $0.score.map(Double.init) }).map { Int($0.rounded(.toNearestOrEven)) },
                rttMsP50: percentile(0.5, members.compactMap(\.rttMsP50)),
                jitterMsP50: percentile(0.5, members.compactMap(\.jitterMsP50)),
                lossPctP50: percentile(0.5, members.compactMap(\.lossPctP50)),
                downKbps: percentile(0.1, members.compactMap(\.downKbps)),
                upKbps: percentile(0.1, members.compactMap(\.upKbps)),
                resultCount: members.count)
        }
    }

    /// PostgreSQL's `percentile_cont`: linear interpolation at position fraction × (n − 1).
    static func percentile(_ fraction: Double, _ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
