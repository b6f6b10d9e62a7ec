import ReadinessContract
import Foundation

/// Combines one rule's per-run observations into the site's observation.
enum ObservationCombiner {
    /// Bandwidth percentile used for the site (readiness issue: "a low percentile, e.g. p10").
    static let bandwidthPercentile = 10.0

    /// The combined observation and the indexes of the runs that contributed to it.
    static func combine(_ observations: [RuleObservation]) -> (RuleObservation, [Int]) {
        var contributing: [Int] = []
        guard let first = observations.first else { return (.metric(nil), []) }
        switch first {
        case .resolution:
            return ResolutionTally.combine(observations)
        case .route:
            var tested = 0, reached = 0, matched = 0, failed = 0
            for (index, observation) in observations.enumerated() {
                guard case let .route(t, r, m, f) = observation else { continue }
                if t > 0 { contributing.append(index) }
                tested += t; reached += r; matched += m; failed += f
            }
            return (.route(runsTested: tested, runsReached: reached, probesMatched: matched, probesFailed: failed), contributing)
        case .condition:
            var known = 0, bad = 0
            for (index, observation) in observations.enumerated() {
                guard case let .condition(k, b) = observation else { continue }
                if k > 0 { contributing.append(index) }
                known += k; bad += b
            }
            return (.condition(runsKnown: known, runsWithCondition: bad), contributing)
        case .udpTimeout:
            // The run with the median lower bound (the lower middle for an even count), so
            // one agent behind a different firewall neither passes nor fails the site alone.
            var probes: [(Int, ProbeResult.UDPTimeoutProbe)] = []
            for (index, observation) in observations.enumerated() {
                if case let .udpTimeout(probe?) = observation { probes.append((index, probe)) }
            }
            probes.sort { ($0.1.lowerBoundS, $0.0) < ($1.1.lowerBoundS, $1.0) }
            guard !probes.isEmpty else { return (.udpTimeout(nil), []) }
            return (.udpTimeout(probes[(probes.count - 1) / 2].1), probes.map(\.0))
        case .metric:
            var values: [Double] = []
            for (index, observation) in observations.enumerated() {
                if case let .metric(value?) = observation { values.append(value); contributing.append(index) }
            }
            return (.metric(Statistics.median(values)), contributing)
        case .bandwidth:
            var up: [Double] = [], down: [Double] = []
            for (index, observation) in observations.enumerated() {
                if case let .bandwidth(probe?) = observation {
                    up.append(probe.upKbps); down.append(probe.downKbps); contributing.append(index)
                }
            }
            guard let p10Up = Statistics.percentile(up, bandwidthPercentile),
                  let p10Down = Statistics.percentile(down, bandwidthPercentile) else { return (.bandwidth(nil), []) }
            return (.bandwidth(.init(downKbps: p10Down, upKbps: p10Up)), contributing)
        }
    }
}
