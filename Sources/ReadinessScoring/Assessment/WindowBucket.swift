import Foundation

/// One rule's observations over a stretch of runs, as mergeable statistics: exact counts and
/// sums, the newest and oldest contributing run, and 1 % sketches for medians and percentiles.
struct RuleSummary: Sendable, Equatable, Codable {
    var counts = ObservationCounts()
    var contributors = 0
    /// Finish times (seconds since the reference date) of the newest and oldest contributing runs.
    var newest: Double?
    var oldest: Double?
    /// Metric values, UDP lower bounds, or bandwidth up.
    var values = LogBinSketch()
    /// Bandwidth down.
    var downs = LogBinSketch()
    /// The UDP timeout: the longest probe and whether any probe saw its binding expire.
    var probeMax: Double?
    var anyUpperBound = false
    /// The DNS rule's runs and unresolved hosts, summed (exact, like the counts).
    var resolution = ResolutionTally()

    mutating func add(_ observation: RuleObservation, finishedAt: Double) {
        counts.apply(observation, sign: 1)
        if observation.contributes {
            contributors += 1
            newest = max(newest ?? finishedAt, finishedAt)
            oldest = min(oldest ?? finishedAt, finishedAt)
        }
        switch observation {
        case let .udpTimeout(probe?):
            values.add(probe.lowerBoundS)
            probeMax = max(probeMax ?? probe.probeMaxS, probe.probeMaxS)
            if probe.upperBoundS != nil { anyUpperBound = true }
        case let .metric(value?):
            values.add(value)
        case let .bandwidth(probe?):
            values.add(probe.upKbps)
            downs.add(probe.downKbps)
        case let .resolution(tally):
            resolution.add(tally)
        case .route, .condition, .udpTimeout(nil), .metric(nil), .bandwidth(nil):
            break
        }
    }
}

/// The runs of a site that finished in one stretch of 1/96 of the policy's freshness window
/// (15 minutes of a 24 h window): how many, how many agents, and each rule's `RuleSummary`.
/// Buckets of a window merge by adding; a bucket leaves the window whole.
public struct WindowBucket: Sendable, Equatable, Codable {
    /// Which stretch: finish times in [index × width, (index + 1) × width) since the reference date.
    public let index: Int
    var runs = 0
    var newest = -Double.infinity
    var oldest = Double.infinity
    /// Runs per agent hostname; runs without one count each as an agent of its own.
    var hosts: [String: Int] = [:]
    var anonymousRuns = 0
    var rules: [RuleSummary]

    init(index: Int, rules: Int) {
        self.index = index
        self.rules = Array(repeating: RuleSummary(), count: rules)
    }

    mutating func add(finishedAt: Double, hostname: String?, observations: [RuleObservation]) {
        runs += 1
        newest = max(newest, finishedAt)
        oldest = min(oldest, finishedAt)
        if let hostname { hosts[hostname, default: 0] += 1 } else { anonymousRuns += 1 }
        for rule in rules.indices where rule < observations.count { rules[rule].add(observations[rule], finishedAt: finishedAt) }
    }
}
