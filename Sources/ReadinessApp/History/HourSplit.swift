import Foundation

/// A range cut into the whole UTC hours the rollup serves, `[firstHour, endHour)`, and the
/// partial hours read from `results`: `[from, headEnd)` and `[tailStart, to)`. The bounds are
/// bound as values, not computed in SQL, so the planner prunes partitions and scans the
/// index over just those minutes.
struct HourSplit: Sendable, Equatable {
    let firstHour: Date
    let endHour: Date
    let headEnd: Date
    let tailStart: Date

    init(_ range: TimeRange) {
        // Unix time and UTC agree on hour boundaries (no leap seconds in either).
        firstHour = Date(timeIntervalSince1970: (range.from.timeIntervalSince1970 / 3600).rounded(.up) * 3600)
        endHour = Date(timeIntervalSince1970: (range.to.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        // A range inside one hour has no whole hour: the head is all of it, the tail empty.
        headEnd = min(firstHour, range.to)
        tailStart = max(endHour, headEnd)
    }
}
