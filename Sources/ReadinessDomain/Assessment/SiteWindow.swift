import Foundation

/// A site's recent runs, kept as each rule's observation of them with running per-rule
/// aggregates, so that a new upload costs one `observe` and a few sorted insertions rather
/// than re-observing and re-combining the whole freshness window.
///
/// `assess(site:now:)` gives exactly what `Policy.assess(_:site:now:)` gives for every run
/// inserted (tested over generated sequences), provided the window is complete from
/// `completeFrom` on: it holds every run of the site that finished at or after that moment.
/// Assessing drops the runs no later assessment can use, which moves `completeFrom` up; when
/// an assessment would need runs from before `completeFrom` (the clock went back, or the site
/// went stale and its last window reaches further back), it answers nil and the caller reads
/// the runs again.
///
/// Runs are told apart by run id (the store keeps each once). Should one arrive twice, the
/// copy that sorts first is kept, as `assess` does among the runs it is given.
public struct SiteWindow: Sendable {
    public let policy: Policy
    public private(set) var completeFrom: Date
    /// In the order `assess` sorts runs: finish time, then run id. A slice, so that dropping
    /// the oldest runs (every assessment drops one or two) moves its start instead of every
    /// held run; its indices start at `runs.startIndex`, not 0.
    private(set) var runs: ArraySlice<WindowRun> = []
    private var keysByRun: [UUID: RunKey] = [:]
    private var agentRuns: [String: Int] = [:]
    private var rules: [RuleAggregate]
    /// The last assessment's rules and the site it was for: a rule whose combined observation
    /// is the same bits again keeps its judgement and finding (most rules, from one group to
    /// the next, as one run comes and one goes).
    var lastCombined: [CombinedRule] = []
    private var lastSite: SiteParameters?

    struct WindowRun: Sendable {
        let key: RunKey
        let runID: UUID
        let finishedAt: Date
        let agentKey: String
        let observations: [RuleObservation]
    }

    /// An empty window of `policy`'s rules that holds every run from `completeFrom` on.
    public init(policy: Policy, completeFrom: Date) {
        self.policy = policy
        self.completeFrom = completeFrom
        rules = policy.plans.map { RuleAggregate(shape: .init($0.rule.kind)) }
    }

    public var count: Int { runs.count }
    public var newestFinishedAt: Date? { runs.last?.finishedAt }

    /// Adds a run: observes it once under every rule (or takes `observed`, the observations
    /// its evaluation made, when they are this policy's) and updates the rules' aggregates.
    public mutating func insert(_ result: ProbeResult, observed: RunObservations? = nil) {
        let key = RunKey(result)
        if let held = keysByRun[result.runID] {
            guard key < held else { return }
            remove(at: index(of: held))
        }
        let observations = observed.flatMap { $0.belong(to: policy) ? $0.values : nil } ?? policy.observe(result)
        let run = WindowRun(key: key, runID: result.runID, finishedAt: result.finishedAt,
                            agentKey: Policy.agentKey(result), observations: observations)
        for index in rules.indices { rules[index].add(run.observations[index], key: key) }
        runs.insert(run, at: insertionIndex(of: key))
        keysByRun[run.runID] = key
        agentRuns[run.agentKey, default: 0] += 1
    }

    /// The site's assessment at `now`, or nil when it needs runs from before `completeFrom`.
    /// Runs no later assessment can use (`now` only moving forward) are dropped.
    public mutating func assess(site: SiteParameters, now: Date) -> SiteAssessment? {
        let window = policy.freshnessWindow
        guard let newest = runs.last?.finishedAt else {
            // Runs from before `completeFrom` could still make the site's last verdict.
            guard completeFrom == .distantPast else { return nil }
            return policy.assess([], site: site, now: now)
        }
        let cutoff = now.addingTimeInterval(-window)
        // The runs `assess` uses: the freshness window; when nothing is in it, the window
        // ending at the newest run (for `last_verdict`).
        let fresh = newest >= cutoff
        let from = fresh ? cutoff : newest.addingTimeInterval(-window)
        guard completeFrom <= from else { return nil }
        dropRuns(before: from)
        let combined = combined(now: now, site: site)
        var assessment = policy.assessment(
            of: combined, runs: runs.count, agents: agentRuns.count, newest: runs.last?.finishedAt,
            oldest: runs.first?.finishedAt, site: site, now: now, window: window)
        lastCombined = combined
        lastSite = site
        if !fresh {
            assessment.lastVerdict = assessment.verdict
            assessment.verdict = .stale
            assessment.score = nil
        }
        return assessment
    }

    /// Forgets the runs that finished before `bound`; the window is then complete from there.
    mutating func dropRuns(before bound: Date) {
        let dropped = runs.prefix { $0.finishedAt < bound }.count
        guard dropped > 0 else { return completeFrom = max(completeFrom, bound) }
        for run in runs.prefix(dropped) { forget(run) }
        runs.removeFirst(dropped)
        // The slice's storage still holds the dropped runs before its start; once they
        // outnumber the held ones, copy the held ones out (amortised: one copy per `count` drops).
        if runs.startIndex > max(runs.count, 16) { runs = ArraySlice(Array(runs)) }
        completeFrom = max(completeFrom, bound)
    }

    private mutating func remove(at index: Int) {
        forget(runs[index])
        runs.remove(at: index)
    }

    private mutating func forget(_ run: WindowRun) {
        for index in rules.indices { rules[index].remove(run.observations[index], key: run.key) }
        keysByRun[run.runID] = nil
        if let held = agentRuns[run.agentKey], held > 1 { agentRuns[run.agentKey] = held - 1 } else { agentRuns[run.agentKey] = nil }
    }

    /// Every rule's observation over the held runs, with its confidence at `now`. The ages
    /// come from the newest and oldest contributing runs: `max(0, now − t)` falls as `t`
    /// grows, in floating point too, so this is the min and max over every run's age.
    private mutating func combined(now: Date, site: SiteParameters) -> [CombinedRule] {
        // Taken out, so that the kept rules are changed in place rather than copied.
        var combined = lastCombined
        lastCombined = []
        if !(lastSite.map { $0.isIdentical(to: site) } ?? false) || combined.count != rules.count { combined.removeAll(keepingCapacity: true) }
        combined.reserveCapacity(rules.count)
        for ruleIndex in rules.indices {
            let rule = rules[ruleIndex]
            let observation = rule.observation { key in runs[index(of: key)].observations[ruleIndex] }
            // The usual cases need no scan: every held run contributes, or none does (a probe
            // the agents never run), which would otherwise walk every run twice per rule.
            let newest: WindowRun?, oldest: WindowRun?
            switch rule.contributors {
            case 0: (newest, oldest) = (nil, nil)
            case runs.count: (newest, oldest) = (runs.last, runs.first)
            default:
                newest = runs.last { $0.observations[ruleIndex].contributes }
                oldest = runs.first { $0.observations[ruleIndex].contributes }
            }
            func age(_ run: WindowRun?) -> Double? { run.map { max(0, now.timeIntervalSince($0.finishedAt)) } }
            let confidence = Confidence(samples: rule.contributors, newestAgeS: age(newest), oldestAgeS: age(oldest))
            if ruleIndex < combined.count {
                if combined[ruleIndex].observation.isIdentical(to: observation) {
                    combined[ruleIndex].confidence = confidence
                } else {
                    combined[ruleIndex] = CombinedRule(policy.plans[ruleIndex], observation, confidence, site: site)
                }
            } else {
                combined.append(CombinedRule(policy.plans[ruleIndex], observation, confidence, site: site))
            }
        }
        return combined
    }

    private func insertionIndex(of key: RunKey) -> Int {
        var low = runs.startIndex, high = runs.endIndex
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The position of a held run.
    private func index(of key: RunKey) -> Int { insertionIndex(of: key) }
}
