import Foundation

/// One rule's observations over a site's runs, kept by kind in flat arrays of numbers rather
/// than as `RuleObservation` values: appending and combining a number costs a few
/// instructions, an enum whose payload may hold a dictionary costs outlined copies and
/// reference counts (most of a fleet preview's time, measured with perf).
///
/// `combined(from:finishedAt:now:)` is `ObservationCombiner.combine` with its `Confidence`, as
/// `AssessedRuns.combined` makes them, for a column whose runs are all of one kind (`isMixed`
/// says when they are not; the caller then judges from `RuleObservation`s).
struct ObservationColumn: Sendable {
    enum Kind: Sendable { case route, condition, udpTimeout, metric, bandwidth, resolution }

    private(set) var kind: Kind?
    /// Set when a run's observation is of another kind than the first run's.
    private(set) var isMixed = false
    private(set) var count = 0
    /// Route: tested, reached, matched, failed per run; condition: known, with the condition.
    private var integers: [Int] = []
    /// Metric: the value; UDP timeout: lower bound, upper bound, longest probe; bandwidth: down, up.
    private var decimals: [Double] = []
    /// Per run: 1 when the metric, probe or bandwidth is there, and 2 when a UDP upper bound is.
    private var flags: [UInt8] = []
    private var tallies: [ResolutionTally] = []

    mutating func removeAll() {
        kind = nil
        isMixed = false
        count = 0
        integers.removeAll(keepingCapacity: true)
        decimals.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        tallies.removeAll(keepingCapacity: true)
    }

    /// Forgets the runs from `runs` on (an entry the fast parser gave up on part way).
    /// A mixed run is never appended, so the runs kept are of one kind again.
    mutating func truncate(to runs: Int) {
        isMixed = false
        guard runs > 0 else { return removeAll() }
        guard runs < count, let kind else { return }
        count = runs
        switch kind {
        case .route: integers.removeSubrange((runs * 4)...)
        case .condition: integers.removeSubrange((runs * 2)...)
        case .udpTimeout: decimals.removeSubrange((runs * 3)...); flags.removeSubrange(runs...)
        case .metric: decimals.removeSubrange(runs...); flags.removeSubrange(runs...)
        case .bandwidth: decimals.removeSubrange((runs * 2)...); flags.removeSubrange(runs...)
        case .resolution: tallies.removeSubrange(runs...)
        }
    }

    @inline(__always)
    mutating func append(_ observation: RuleObservation) {
        let shape = Self.kind(of: observation)
        if kind == nil { kind = shape } else if kind != shape { isMixed = true; return }
        count += 1
        switch observation {
        case let .route(tested, reached, matched, failed):
            integers.append(tested); integers.append(reached); integers.append(matched); integers.append(failed)
        case let .condition(known, bad):
            integers.append(known); integers.append(bad)
        case let .udpTimeout(probe):
            decimals.append(probe?.lowerBoundS ?? 0); decimals.append(probe?.upperBoundS ?? 0); decimals.append(probe?.probeMaxS ?? 0)
            flags.append((probe == nil ? 0 : 1) | (probe?.upperBoundS == nil ? 0 : 2))
        case let .metric(value):
            decimals.append(value ?? 0)
            flags.append(value == nil ? 0 : 1)
        case let .bandwidth(probe):
            decimals.append(probe?.downKbps ?? 0); decimals.append(probe?.upKbps ?? 0)
            flags.append(probe == nil ? 0 : 1)
        case let .resolution(tally):
            tallies.append(tally)
        }
    }

    /// The observation of run `run`, as it was appended.
    func observation(_ run: Int) -> RuleObservation {
        switch kind {
        case .route:
            .route(runsTested: integers[run * 4], runsReached: integers[run * 4 + 1],
                   probesMatched: integers[run * 4 + 2], probesFailed: integers[run * 4 + 3])
        case .condition: .condition(runsKnown: integers[run * 2], runsWithCondition: integers[run * 2 + 1])
        case .udpTimeout: .udpTimeout(udpProbe(run))
        case .metric: .metric(flags[run] & 1 == 0 ? nil : decimals[run])
        case .bandwidth:
            .bandwidth(flags[run] & 1 == 0 ? nil : .init(downKbps: decimals[run * 2], upKbps: decimals[run * 2 + 1]))
        case .resolution: .resolution(tallies[run])
        case nil: .metric(nil)
        }
    }

    private func udpProbe(_ run: Int) -> ProbeResult.UDPTimeoutProbe? {
        guard flags[run] & 1 != 0 else { return nil }
        return .init(lowerBoundS: decimals[run * 3], upperBoundS: flags[run] & 2 == 0 ? nil : decimals[run * 3 + 1],
                     probeMaxS: decimals[run * 3 + 2])
    }

    /// `ObservationCombiner.combine` of the runs from `start` on, and their `Confidence` at `now`
    /// (`finishedAt` rising, so the newest contributing run is the last one, the youngest age).
    func combined(from start: Int, finishedAt: [Date], now: Date) -> (RuleObservation, Confidence) {
        var samples = 0, first = -1, last = -1
        func contributes(_ run: Int) {
            samples += 1
            if first < 0 { first = run }
            last = run
        }
        let observation: RuleObservation
        switch kind {
        case .route:
            var tested = 0, reached = 0, matched = 0, failed = 0
            for run in start..<count {
                let base = run * 4
                if integers[base] > 0 { contributes(run) }
                tested += integers[base]; reached += integers[base + 1]; matched += integers[base + 2]; failed += integers[base + 3]
            }
            observation = .route(runsTested: tested, runsReached: reached, probesMatched: matched, probesFailed: failed)
        case .condition:
            var known = 0, bad = 0
            for run in start..<count {
                if integers[run * 2] > 0 { contributes(run) }
                known += integers[run * 2]; bad += integers[run * 2 + 1]
            }
            observation = .condition(runsKnown: known, runsWithCondition: bad)
        case .udpTimeout:
            // The run with the median lower bound, ties in run order (`ObservationCombiner`).
            var probes: [(Double, Int)] = []
            for run in start..<count where flags[run] & 1 != 0 {
                probes.append((decimals[run * 3], run))
                contributes(run)
            }
            probes.sort { $0 < $1 }
            observation = .udpTimeout(probes.isEmpty ? nil : udpProbe(probes[(probes.count - 1) / 2].1))
        case .metric:
            var values: [Double] = []
            values.reserveCapacity(count - start)
            for run in start..<count where flags[run] & 1 != 0 {
                values.append(decimals[run])
                contributes(run)
            }
            observation = .metric(Statistics.median(values))
        case .bandwidth:
            var ups: [Double] = [], downs: [Double] = []
            for run in start..<count where flags[run] & 1 != 0 {
                downs.append(decimals[run * 2]); ups.append(decimals[run * 2 + 1])
                contributes(run)
            }
            if let up = Statistics.percentile(ups, ObservationCombiner.bandwidthPercentile),
               let down = Statistics.percentile(downs, ObservationCombiner.bandwidthPercentile) {
                observation = .bandwidth(.init(downKbps: down, upKbps: up))
            } else {
                observation = .bandwidth(nil)
            }
        case .resolution:
            var total = ResolutionTally()
            for run in start..<count {
                if tallies[run].runsKnown > 0 { contributes(run) }
                total.add(tallies[run])
            }
            observation = .resolution(total)
        case nil:
            observation = .metric(nil)
        }
        func age(_ run: Int) -> Double? { run < 0 ? nil : max(0, now.timeIntervalSince(finishedAt[run])) }
        return (observation, Confidence(samples: samples, newestAgeS: age(last), oldestAgeS: age(first)))
    }

    private static func kind(of observation: RuleObservation) -> Kind {
        switch observation {
        case .route: .route
        case .condition: .condition
        case .udpTimeout: .udpTimeout
        case .metric: .metric
        case .bandwidth: .bandwidth
        case .resolution: .resolution
        }
    }
}
