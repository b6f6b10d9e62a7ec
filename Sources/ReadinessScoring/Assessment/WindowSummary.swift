import Foundation

/// A busy site's window as `WindowBucket`s (96 per freshness window) with running totals over
/// them: what `SiteWindow` keeps instead of every run once it holds more than its exact limit.
/// Adding a run touches one bucket and the totals; an assessment reads the totals and walks
/// the buckets (at most a window's worth plus one), never the runs; a bucket leaves the
/// window whole, when its newest run is older than the window's start. Memory is bounded by
/// the number of buckets, rules and sketch bins (and distinct agent hostnames), not by runs.
///
/// What each figure becomes is stated in the README ("Busy sites"): counts and sums are exact
/// over the runs held; medians and percentiles are within 1 % (`LogBinSketch`); the window's
/// start is rounded down to the start of the oldest bucket still holding a run that finished
/// in the window. A run id is not remembered, so a run added twice counts twice (the store
/// keeps each run id once, and replays are never added).
struct WindowSummary: Sendable, Equatable {
    static let bucketsPerWindow = 96

    let width: Double
    let shapes: [RuleAggregate.Shape]
    /// In index order.
    private(set) var buckets: [WindowBucket] = []
    /// Every held bucket's rules merged (their newest, oldest and UDP probe bounds unused:
    /// those cannot be taken out again, and are found from the buckets).
    private var totals: [RuleSummary]
    private var hosts: [String: Int] = [:]
    private var anonymousRuns = 0
    private(set) var runs = 0

    init(window: TimeInterval, shapes: [RuleAggregate.Shape]) {
        width = max(window / Double(Self.bucketsPerWindow), 1)
        self.shapes = shapes
        totals = Array(repeating: RuleSummary(), count: shapes.count)
    }

    /// A summary of stored buckets (a restart's `site_window_buckets` rows), in any order.
    init(window: TimeInterval, shapes: [RuleAggregate.Shape], buckets stored: [WindowBucket]) {
        self.init(window: window, shapes: shapes)
        for bucket in stored.sorted(by: { $0.index < $1.index }) where bucket.rules.count == shapes.count && bucket.runs > 0 {
            buckets.append(bucket)
            count(bucket, sign: 1)
        }
    }

    var newest: Double? { buckets.last?.newest }
    var oldest: Double? { buckets.first?.oldest }
    var agents: Int { hosts.count + anonymousRuns }

    /// The bucket a run finishing at `finishedAt` belongs to.
    func bucketIndex(of finishedAt: Double) -> Int { Int((finishedAt / width).rounded(.down)) }

    /// Adds one run; returns the index of the bucket it went into.
    @discardableResult
    mutating func add(finishedAt: Double, hostname: String?, observations: [RuleObservation]) -> Int {
        let index = bucketIndex(of: finishedAt)
        var position = buckets.count
        // New runs mostly land in the newest bucket: look from the end.
        while position > 0, buckets[position - 1].index >= index { position -= 1 }
        if position == buckets.count || buckets[position].index != index {
            buckets.insert(WindowBucket(index: index, rules: shapes.count), at: position)
        }
        buckets[position].add(finishedAt: finishedAt, hostname: hostname, observations: observations)
        runs += 1
        if let hostname { hosts[hostname, default: 0] += 1 } else { anonymousRuns += 1 }
        for rule in totals.indices where rule < observations.count { totals[rule].add(observations[rule], finishedAt: finishedAt) }
        return index
    }

    /// Lets go of the buckets whose every run finished before `bound`.
    mutating func drop(before bound: Double) {
        while let first = buckets.first, first.newest < bound {
            buckets.removeFirst()
            count(first, sign: -1)
        }
    }

    private mutating func count(_ bucket: WindowBucket, sign: Int) {
        runs += sign * bucket.runs
        anonymousRuns += sign * bucket.anonymousRuns
        for (host, held) in bucket.hosts {
            let left = (hosts[host] ?? 0) + sign * held
            hosts[host] = left > 0 ? left : nil
        }
        for rule in totals.indices {
            let summary = bucket.rules[rule]
            totals[rule].counts.merge(summary.counts, sign: sign)
            totals[rule].contributors += sign * summary.contributors
            totals[rule].resolution.add(summary.resolution, sign: sign)
            if sign > 0 {
                totals[rule].values.merge(summary.values)
                totals[rule].downs.merge(summary.downs)
            } else {
                if !summary.values.isEmpty { totals[rule].values.subtract(summary.values, rest: buckets.map { $0.rules[rule].values }) }
                if !summary.downs.isEmpty { totals[rule].downs.subtract(summary.downs, rest: buckets.map { $0.rules[rule].downs }) }
            }
        }
    }

    /// Rule `rule`'s combined observation, its contributing runs, and the finish times of the
    /// newest and oldest of them.
    func rule(_ rule: Int) -> (observation: RuleObservation, contributors: Int, newest: Double?, oldest: Double?) {
        let total = totals[rule]
        var newest: Double?, oldest: Double?
        if total.contributors > 0 {
            for bucket in buckets where bucket.rules[rule].contributors > 0 {
                if let time = bucket.rules[rule].newest { newest = max(newest ?? time, time) }
                if let time = bucket.rules[rule].oldest { oldest = min(oldest ?? time, time) }
            }
        }
        let observation: RuleObservation
        switch shapes[rule] {
        case .route, .condition:
            observation = total.counts.observation(shapes[rule]) ?? .metric(nil)
        case .resolution:
            observation = .resolution(total.resolution)
        case .metric:
            observation = .metric(total.values.median)
        case .bandwidth:
            if let up = total.values.percentile(ObservationCombiner.bandwidthPercentile),
               let down = total.downs.percentile(ObservationCombiner.bandwidthPercentile) {
                observation = .bandwidth(.init(downKbps: down, upKbps: up))
            } else {
                observation = .bandwidth(nil)
            }
        case .udpTimeout:
            // The lower middle lower bound, as the exact window's median run; that run's own
            // probe is not kept, so the longest probe of the window stands for its probe_max.
            if let lower = total.values.value(rank: (total.values.count - 1) / 2 + 1) {
                let probeMax = buckets.compactMap { $0.rules[rule].probeMax }.max() ?? lower
                observation = .udpTimeout(.init(lowerBoundS: lower, upperBoundS: nil, probeMaxS: probeMax))
            } else {
                observation = .udpTimeout(nil)
            }
        }
        return (observation, total.contributors, newest, oldest)
    }
}
