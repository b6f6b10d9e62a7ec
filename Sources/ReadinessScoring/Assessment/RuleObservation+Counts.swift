/// The summed counts of route and condition observations: what `ObservationCombiner` adds up
/// run by run, kept here once so that every summary of a window (the exact `RuleAggregate`,
/// the bucketed `WindowBucket`) adds, removes and merges them the same way. Sums are exact
/// however the window is summarised.
struct ObservationCounts: Sendable, Equatable, Codable {
    /// Routes: runs tested, runs reached, probes matched, probes failed; conditions: runs
    /// known, runs with the condition (in `a` and `b`).
    var a = 0, b = 0, c = 0, d = 0

    /// Adds (`sign` 1) or removes (`sign` -1) one run's observation; other kinds add nothing.
    mutating func apply(_ observation: RuleObservation, sign: Int) {
        switch observation {
        case let .route(tested, reached, matched, failed):
            a += sign * tested; b += sign * reached; c += sign * matched; d += sign * failed
        case let .condition(known, bad):
            a += sign * known; b += sign * bad
        case .udpTimeout, .metric, .bandwidth, .resolution:
            break
        }
    }

    /// Adds (`sign` 1) or removes (`sign` -1) another summary's counts.
    mutating func merge(_ other: ObservationCounts, sign: Int = 1) {
        a += sign * other.a; b += sign * other.b; c += sign * other.c; d += sign * other.d
    }

    /// The combined observation of a route or condition rule; nil for the other shapes.
    func observation(_ shape: RuleAggregate.Shape) -> RuleObservation? {
        switch shape {
        case .route: return .route(runsTested: a, runsReached: b, probesMatched: c, probesFailed: d)
        case .condition: return .condition(runsKnown: a, runsWithCondition: b)
        case .udpTimeout, .metric, .bandwidth, .resolution: return nil
        }
    }
}
