import ReadinessContract
import JSON
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
///
/// A busy site's window is summarised: past `exactLimit` runs (1,024 by default) the runs are
/// folded into a `WindowSummary` of time buckets with mergeable statistics, and from then on an
/// upload costs one bucket's update and an assessment a walk over at most a window's buckets,
/// whatever the window holds; the figures are then exact or within a stated error (README,
/// "Busy sites"). Below the limit every figure is exact.
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
    /// Set once the window held more than `exactLimit` runs; then `runs` is empty.
    private(set) var summary: WindowSummary?
    public let exactLimit: Int
    /// The buckets added to since `takeTouchedBuckets()` (for storing them); summaries only.
    private var touched: Set<Int> = []

    public static let defaultExactLimit = 1024

    struct WindowRun: Sendable {
        let key: RunKey
        let runID: UUID
        let finishedAt: Date
        let agentKey: String
        let hostname: String?
        let observations: [RuleObservation]
    }

    /// An empty window of `policy`'s rules that holds every run from `completeFrom` on.
    public init(policy: Policy, completeFrom: Date, exactLimit: Int = SiteWindow.defaultExactLimit) {
        self.policy = policy
        self.completeFrom = completeFrom
        self.exactLimit = exactLimit
        rules = policy.plans.map { RuleAggregate(shape: .init($0.rule.kind)) }
    }

    public var count: Int { summary?.runs ?? runs.count }
    public var newestFinishedAt: Date? {
        if let summary { return summary.newest.map { Date(timeIntervalSinceReferenceDate: $0) } }
        return runs.last?.finishedAt
    }
    /// What the window holds in memory, in runs' worth: its runs, or for a summarised window
    /// its buckets (one weighs about as much as 16 runs' observations and places).
    public var heldWeight: Int { summary.map { $0.buckets.count * 16 } ?? runs.count }
    /// Whether the window is held as time buckets rather than run by run.
    public var isSummarised: Bool { summary != nil }

    /// Adds a run: observes it once under every rule (or takes `observed`, the observations
    /// its evaluation made, when they are this policy's) and updates the rules' aggregates.
    public mutating func insert(_ result: ProbeResult, observed: RunObservations? = nil) {
        let observations = observed.flatMap { $0.belong(to: policy) ? $0.values : nil } ?? policy.observe(result)
        insert(runID: result.runID, finishedAt: result.finishedAt, hostname: result.agent.hostname, observations: observations)
    }

    /// Adds a run from its observations under this policy (a stored `window_entry`), without its body.
    mutating func insert(runID: UUID, finishedAt: Date, hostname: String?, observations: [RuleObservation]) {
        if summary != nil {
            let index = summary?.add(finishedAt: finishedAt.timeIntervalSinceReferenceDate, hostname: hostname, observations: observations)
            if let index { touched.insert(index) }
            return
        }
        let key = RunKey(runID: runID, finishedAt: finishedAt)
        if let held = keysByRun[runID] {
            guard key < held else { return }
            remove(at: index(of: held))
        }
        let run = WindowRun(key: key, runID: runID, finishedAt: finishedAt,
                            agentKey: hostname ?? runID.uuidString, hostname: hostname, observations: observations)
        for index in rules.indices { rules[index].add(run.observations[index], key: key) }
        runs.insert(run, at: insertionIndex(of: key))
        keysByRun[run.runID] = key
        agentRuns[run.agentKey, default: 0] += 1
        if runs.count > exactLimit { summarise() }
    }

    /// Folds every held run into time buckets and forgets the runs.
    private mutating func summarise() {
        var folded = WindowSummary(window: policy.freshnessWindow, shapes: rules.map(\.shape))
        for run in runs {
            touched.insert(folded.add(finishedAt: run.key.finishedAt, hostname: run.hostname, observations: run.observations))
        }
        summary = folded
        runs = []
        keysByRun = [:]
        agentRuns = [:]
        rules = rules.map { RuleAggregate(shape: $0.shape) }
    }

    /// A summarised window from stored buckets, complete from `completeFrom` (a restart's
    /// `site_window_buckets` rows: no result is read again).
    public init(policy: Policy, completeFrom: Date, buckets: [WindowBucket]) {
        self.init(policy: policy, completeFrom: completeFrom)
        summary = WindowSummary(window: policy.freshnessWindow, shapes: rules.map(\.shape), buckets: buckets)
    }

    /// The buckets changed since the last call, for storing; empty while the window is exact.
    public mutating func takeTouchedBuckets() -> [WindowBucket] {
        guard let summary, !touched.isEmpty else { return [] }
        defer { touched = [] }
        return summary.buckets.filter { touched.contains($0.index) }
    }

    /// The index of a summarised window's oldest bucket; nil while the window is exact.
    public var oldestBucketIndex: Int? { summary?.buckets.first?.index }

    /// The site's assessment at `now`, or nil when it needs runs from before `completeFrom`.
    /// Runs no later assessment can use (`now` only moving forward) are dropped.
    public mutating func assess(site: SiteParameters, now: Date) -> SiteAssessment? {
        if summary != nil { return assessSummary(site: site, now: now) }
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
        // The runs by value (a reference to the same storage), as the closure may not see `self`.
        let runs = self.runs
        let combined = combined(now: now, site: site) { ruleIndex, rule in
            let observation = rule.observation { key in runs[Self.position(of: key, in: runs)].observations[ruleIndex] }
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
            return (observation, rule.contributors, newest?.finishedAt, oldest?.finishedAt)
        }
        let assessment = policy.assessment(
            of: combined, runs: runs.count, agents: agentRuns.count, newest: runs.last?.finishedAt,
            oldest: runs.first?.finishedAt, site: site, now: now, window: window)
        return finish(assessment, combined: combined, site: site, fresh: fresh)
    }

    /// `assess` of a summarised window: the same choice of runs, a bucket at a time.
    private mutating func assessSummary(site: SiteParameters, now: Date) -> SiteAssessment? {
        guard var summary else { return nil }
        let window = policy.freshnessWindow
        guard let newestTime = summary.newest else {
            guard completeFrom == .distantPast else { return nil }
            return policy.assess([], site: site, now: now)
        }
        let newest = Date(timeIntervalSinceReferenceDate: newestTime)
        let cutoff = now.addingTimeInterval(-window)
        let fresh = newest >= cutoff
        let from = fresh ? cutoff : newest.addingTimeInterval(-window)
        guard completeFrom <= from else { return nil }
        summary.drop(before: from.timeIntervalSinceReferenceDate)
        completeFrom = max(completeFrom, from)
        self.summary = summary
        func date(_ time: Double?) -> Date? { time.map { Date(timeIntervalSinceReferenceDate: $0) } }
        let combined = combined(now: now, site: site) { ruleIndex, _ in
            let figures = summary.rule(ruleIndex)
            return (figures.observation, figures.contributors, date(figures.newest), date(figures.oldest))
        }
        let assessment = policy.assessment(
            of: combined, runs: summary.runs, agents: summary.agents, newest: date(summary.newest),
            oldest: date(summary.oldest), site: site, now: now, window: window)
        return finish(assessment, combined: combined, site: site, fresh: fresh)
    }

    /// Both forms' last step: remembers what was judged, and marks a window whose newest run
    /// is older than the freshness window as stale (its last verdict kept beside).
    private mutating func finish(
        _ assessment: SiteAssessment, combined: [CombinedRule], site: SiteParameters, fresh: Bool
    ) -> SiteAssessment {
        var assessment = assessment
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
    private mutating func combined(
        now: Date, site: SiteParameters,
        rule ruleFigures: (Int, RuleAggregate) -> (RuleObservation, Int, Date?, Date?)
    ) -> [CombinedRule] {
        // Taken out, so that the kept rules are changed in place rather than copied.
        var combined = lastCombined
        lastCombined = []
        if !(lastSite.map { $0.isIdentical(to: site) } ?? false) || combined.count != rules.count { combined.removeAll(keepingCapacity: true) }
        combined.reserveCapacity(rules.count)
        for ruleIndex in rules.indices {
            let (observation, contributors, newest, oldest) = ruleFigures(ruleIndex, rules[ruleIndex])
            func age(_ time: Date?) -> Double? { time.map { max(0, now.timeIntervalSince($0)) } }
            let confidence = Confidence(samples: contributors, newestAgeS: age(newest), oldestAgeS: age(oldest))
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

    private func insertionIndex(of key: RunKey) -> Int { Self.position(of: key, in: runs) }

    private static func position(of key: RunKey, in runs: ArraySlice<WindowRun>) -> Int {
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
