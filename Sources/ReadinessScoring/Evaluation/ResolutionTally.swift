import ReadinessContract
/// What the built-in `dns-resolution` rule saw, in one run or summed over a window: the
/// whole of the DNS rule's counting lives here, so that per-run observation, the combination
/// of stored runs (`ObservationCombiner`) and a `SiteWindow`'s running aggregate sum alike.
struct ResolutionTally: Sendable, Equatable, Codable {
    /// Runs that probed some host, and so could tell whether names resolve.
    var runsKnown = 0
    /// Runs in which some probed host did not resolve.
    var runsUnresolved = 0
    /// Each host that did not resolve, with the number of runs it failed in: a count rather
    /// than a set, so that a window forgetting a run forgets its hosts.
    var hostRuns: [String: Int] = [:]

    init() {}

    init(runsKnown: Int, runsUnresolved: Int, hostRuns: [String: Int]) {
        self.runsKnown = runsKnown
        self.runsUnresolved = runsUnresolved
        self.hostRuns = hostRuns
    }

    /// One run: its reachability probes whose host never resolved (`error` "dns").
    init(_ result: ProbeResult) {
        guard let probes = result.reachability, !probes.isEmpty else { return }
        runsKnown = 1
        // Only failed probes are looked at twice, so a clean run allocates nothing here.
        for index in probes.indices where probes[index].isUnresolved {
            hostRuns[probes[index].host.lowercased()] = 1
        }
        runsUnresolved = hostRuns.isEmpty ? 0 : 1
    }

    /// The unresolved hosts, sorted (the finding's `hosts`).
    var hosts: [String] { hostRuns.keys.sorted() }

    /// Adds (`sign` 1) or takes away (`sign` -1) another tally, e.g. a run entering or
    /// leaving a window.
    mutating func add(_ other: ResolutionTally, sign: Int = 1) {
        runsKnown += sign * other.runsKnown
        runsUnresolved += sign * other.runsUnresolved
        for (host, runs) in other.hostRuns {
            let count = hostRuns[host, default: 0] + sign * runs
            hostRuns[host] = count > 0 ? count : nil
        }
    }

    /// Like a route: unknown when no run probed, failed when names failed in every run,
    /// a warning when they failed in some (a flapping resolver), else a pass.
    func status(onBreach: FindingStatus) -> FindingStatus {
        runsKnown == 0 ? .unknown : runsUnresolved == 0 ? .pass : runsUnresolved == runsKnown ? onBreach : .warn
    }

    /// `ObservationCombiner`'s combination: the sum, and the runs that could tell.
    static func combine(_ observations: [RuleObservation]) -> (RuleObservation, [Int]) {
        var total = ResolutionTally()
        var contributing: [Int] = []
        for (index, observation) in observations.enumerated() {
            guard case let .resolution(tally) = observation else { continue }
            if tally.runsKnown > 0 { contributing.append(index) }
            total.add(tally)
        }
        return (.resolution(total), contributing)
    }
}
