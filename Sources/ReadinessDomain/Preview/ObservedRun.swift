import Foundation

/// One stored run as a policy version's rules observed it (a `WindowEntry` read back, or a
/// body observed once): what assessing needs of a run, without its body.
public struct ObservedRun: Sendable {
    public let runID: UUID
    public let finishedAt: Date
    public let hostname: String?
    /// In the rule order of the policy version that observed the run.
    let observations: [RuleObservation]
}

extension Policy {
    /// `assess(_:site:now:window:)` of runs already observed: the same choice of runs (sorted
    /// and de-duplicated by run, the freshness window, else the window ending at the newest
    /// run for `last_verdict`), the same combining and the same assessment. `columns[i]` is
    /// where this policy's rule `i` sits in each run's observations (another version's rule
    /// that observes the same thing); nil when they are this policy's own, in its order.
    func assess(observed runs: [ObservedRun], columns: [Int]? = nil, site: SiteParameters, now: Date) -> SiteAssessment {
        let window = freshnessWindow
        var seen = Set<UUID>()
        let ordered = runs
            .sorted { ($0.finishedAt, $0.runID) < ($1.finishedAt, $1.runID) }
            .filter { seen.insert($0.runID).inserted }
        let cutoff = now.addingTimeInterval(-window)
        let fresh = ordered.filter { $0.finishedAt >= cutoff }
        if !fresh.isEmpty { return assessObserved(fresh, columns: columns, site: site, now: now, window: window) }
        guard let newest = ordered.last else { return assessObserved([], columns: columns, site: site, now: now, window: window) }
        let from = newest.finishedAt.addingTimeInterval(-window)
        var last = assessObserved(ordered.filter { $0.finishedAt >= from }, columns: columns, site: site, now: now, window: window)
        last.lastVerdict = last.verdict
        last.verdict = .stale
        last.score = nil
        return last
    }

    private func assessObserved(
        _ runs: [ObservedRun], columns: [Int]?, site: SiteParameters, now: Date, window: TimeInterval
    ) -> SiteAssessment {
        let ages = runs.map { max(0, now.timeIntervalSince($0.finishedAt)) }
        var ruleObservations: [RuleObservation] = []
        ruleObservations.reserveCapacity(runs.count)
        let combined: [CombinedRule] = plans.indices.map { ruleIndex in
            let column = columns?[ruleIndex] ?? ruleIndex
            ruleObservations.removeAll(keepingCapacity: true)
            for run in runs { ruleObservations.append(run.observations[column]) }
            let (observation, contributing) = ObservationCombiner.combine(ruleObservations)
            let used = contributing.map { ages[$0] }
            return CombinedRule(plans[ruleIndex], observation,
                                Confidence(samples: contributing.count, newestAgeS: used.min(), oldestAgeS: used.max()), site: site)
        }
        let agents = Set(runs.map { $0.hostname ?? $0.runID.uuidString }).count
        return assessment(
            of: combined, runs: runs.count, agents: agents, newest: runs.last?.finishedAt, oldest: runs.first?.finishedAt,
            site: site, now: now, window: window)
    }
}
