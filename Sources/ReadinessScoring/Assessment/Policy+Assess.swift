import ReadinessContract
import JSON
import Foundation

extension Policy {
    /// Assesses a site from its results. Only results that finished inside the freshness
    /// window before `now` count; with none, the verdict is `stale` and `last_verdict` keeps
    /// the verdict of the newest window the site did send. Pure and deterministic: inputs
    /// are sorted and de-duplicated by run, and `now` is a parameter.
    public func assess(
        _ results: [ProbeResult], site: SiteParameters, now: Date, window: TimeInterval? = nil
    ) -> SiteAssessment {
        let window = window ?? freshnessWindow
        var seen = Set<UUID>()
        let runs = results
            .sorted { ($0.finishedAt, $0.runID) < ($1.finishedAt, $1.runID) }
            .filter { seen.insert($0.runID).inserted }
        let fresh = runs.filter { $0.finishedAt >= now.addingTimeInterval(-window) }
        if !fresh.isEmpty { return assessRuns(fresh, site: site, now: now, window: window) }
        guard let newest = runs.last else {
            return assessRuns([], site: site, now: now, window: window)
        }
        var last = assessRuns(runs.filter { $0.finishedAt >= newest.finishedAt.addingTimeInterval(-window) },
                              site: site, now: now, window: window)
        last.lastVerdict = last.verdict
        last.verdict = .stale
        last.score = nil
        return last
    }

    private func assessRuns(_ runs: [ProbeResult], site: SiteParameters, now: Date, window: TimeInterval) -> SiteAssessment {
        let perRun = runs.map(observe)
        let ages = runs.map { max(0, now.timeIntervalSince($0.finishedAt)) }
        let combined: [CombinedRule] = plans.indices.map { ruleIndex in
            let (observation, contributing) = ObservationCombiner.combine(perRun.map { $0[ruleIndex] })
            let used = contributing.map { ages[$0] }
            return CombinedRule(plans[ruleIndex], observation,
                                Confidence(samples: contributing.count, newestAgeS: used.min(), oldestAgeS: used.max()), site: site)
        }
        return assessment(
            of: combined, runs: runs.count, agents: Set(runs.map(Self.agentKey)).count,
            newest: runs.last?.finishedAt, oldest: runs.first?.finishedAt, site: site, now: now, window: window)
    }

    /// Distinct agents are told apart by hostname, else (no hostname) each run counts as one.
    static func agentKey(_ result: ProbeResult) -> String { result.agent.hostname ?? result.runID.uuidString }

    /// The assessment from each rule's combined observation, however it was combined: from
    /// the runs here, or from a `SiteWindow`'s running aggregates.
    func assessment(
        of combined: [CombinedRule], runs: Int, agents: Int, newest: Date?, oldest: Date?,
        site: SiteParameters, now: Date, window: TimeInterval
    ) -> SiteAssessment {
        var findings: [Finding] = []
        findings.reserveCapacity(plans.count)
        var tally = EvaluationTally()
        var bandwidth: ProbeResult.BandwidthProbe?
        var figures = Figures()
        // By index: `zip` would copy every rule (its finding's strings and arrays) out of the array.
        for index in combined.indices where index < plans.count {
            let plan = plans[index]
            let observation = combined[index].observation
            tally.add(plan, combined[index].judgement, site: site)
            let trust = combined[index].confidence
            // Appended, then given its confidence in place: one copy of the finding, not two.
            findings.append(combined[index].finding)
            findings[findings.count - 1].confidence = trust
            func figure(_ value: Double?) -> Figure? {
                guard let value, let newest = trust.newestAgeS, let oldest = trust.oldestAgeS else { return nil }
                return Figure(value: value, samples: trust.samples, newestAgeS: newest, oldestAgeS: oldest)
            }
            switch (plan.rule.kind, observation) {
            case let (.rtt, .metric(value)): figures.rttMs = figure(value)
            case let (.jitter, .metric(value)): figures.jitterMs = figure(value)
            case let (.loss, .metric(value)): figures.lossPct = figure(value)
            case let (.bandwidth, .bandwidth(probe)):
                bandwidth = probe
                figures.upKbps = figure(probe?.upKbps)
                figures.downKbps = figure(probe?.downKbps)
            default: break
            }
        }
        let verdict: Verdict = runs == 0 ? .stale : tally.verdict
        var mosFigure: Figure?
        if let value = tally.mos, let rtt = figures.rttMs, let jitter = figures.jitterMs, let loss = figures.lossPct {
            mosFigure = Figure(value: value, samples: min(rtt.samples, jitter.samples, loss.samples),
                               newestAgeS: max(rtt.newestAgeS, jitter.newestAgeS, loss.newestAgeS),
                               oldestAgeS: max(rtt.oldestAgeS, jitter.oldestAgeS, loss.oldestAgeS))
        }
        return SiteAssessment(
            policy: name, policyVersion: version, site: site, assessedAt: RFC3339Timestamp.format(now), windowS: window,
            verdict: verdict, lastVerdict: nil,
            score: ReadinessScore.score(verdict: verdict, tally: tally),
            findings: runs == 0 ? [] : findings, mos: mosFigure, capacity: capacity(bandwidth),
            transport: runs == 0 ? nil : transport(findings), figures: figures, runs: runs, agents: agents,
            newestResultAt: newest.map { RFC3339Timestamp.format($0) },
            oldestResultAt: oldest.map { RFC3339Timestamp.format($0) }
        )
    }
}

/// One rule over a set of runs: the combined observation, how many runs told something and
/// how old the newest and oldest of them are, and the rule's judgement of the observation
/// with its finding (still without the confidence). A `SiteWindow` keeps them from one
/// assessment to the next: the same observation at the same site gives the same judgement and
/// finding (`judge` and `finding` depend on nothing else).
struct CombinedRule {
    var observation: RuleObservation
    var confidence: Confidence
    var judgement: Judgement
    var finding: Finding
    /// The finding's compact JSON after its confidence (`CompactFinding.tail(of:)`), which
    /// only the judgement decides; made by a `SiteWindow` when first needed, empty until then.
    var compactTail: [UInt8] = []

    init(_ plan: RulePlan, _ observation: RuleObservation, _ confidence: Confidence, site: SiteParameters) {
        self.observation = observation
        self.confidence = confidence
        judgement = plan.judge(observation, site: site)
        finding = plan.finding(judgement, site: site)
    }
}
