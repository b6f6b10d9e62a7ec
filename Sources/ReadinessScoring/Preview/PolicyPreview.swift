import ReadinessContract
import Foundation

/// What publishing `candidate` would do to a site now assessed under `current`: both
/// assessments over the same stored runs at the same moment. Pure: the caller reads the runs.
///
/// A candidate rule that observes what a current rule observes (`RulePlan.observesSame(as:)`:
/// only thresholds, tiers or texts differ) is judged from the current rule's stored
/// observations, so a site's window is assessed from its `results.window_entry` texts without
/// a body. Only when some candidate rule observes something no current rule does (new
/// destinations, another port, a new kind) must the runs be observed again from their bodies:
/// `run(entry:…)` then answers nil and the caller hands `run(_:)` the decoded result.
public struct PolicyPreview: Sendable {
    public let current: Policy
    public let candidate: Policy
    /// For each candidate rule, the current rule whose observations it reuses; nil: none does.
    let sources: [Int?]

    public init(current: Policy, candidate: Policy) {
        self.current = current
        self.candidate = candidate
        sources = candidate.plans.map { plan in current.plans.firstIndex { plan.observesSame(as: $0) } }
    }

    /// The candidate's rules (by id) that no current rule observes: the runs are read from their bodies for them.
    public var rulesReadFromBodies: [String] {
        sources.indices.filter { sources[$0] == nil }.map { candidate.plans[$0].rule.id }
    }

    /// Whether every run must be observed again from its body.
    public var needsBodies: Bool { sources.contains(nil) }

    /// A run from its window entry under `current` (the entry's policy version must be
    /// current's); nil when the entry is not one or the candidate needs the body.
    public func run(entry: String, runID: UUID, finishedAt: Date) -> PreviewRun? {
        run(entryUTF8: Array(entry.utf8), runID: runID, finishedAt: finishedAt)
    }

    /// `run(entry:…)` of the entry's UTF-8 bytes as stored (no string is made of them).
    public func run(entryUTF8 entry: [UInt8], runID: UUID, finishedAt: Date) -> PreviewRun? {
        guard !needsBodies, let (observations, hostname) = WindowEntry.parse(utf8: entry, rules: current.plans.count) else { return nil }
        return PreviewRun(run: ObservedRun(runID: runID, finishedAt: finishedAt, hostname: hostname, observations: observations), candidate: nil)
    }

    /// A run observed from its body under both policies. `finishedAt` is the stored column's
    /// (what the entries carry), so both kinds of run sort alike.
    public func run(_ result: ProbeResult, finishedAt: Date) -> PreviewRun {
        let hostname = result.agent.hostname
        return PreviewRun(
            run: ObservedRun(runID: result.runID, finishedAt: finishedAt, hostname: hostname, observations: current.observe(result)),
            candidate: needsBodies
                ? ObservedRun(runID: result.runID, finishedAt: finishedAt, hostname: hostname, observations: candidate.observe(result))
                : nil)
    }

    /// The site's assessment under both policies at `now` from its runs (at least every run
    /// of either policy's window; more are ignored as `Policy.assess` ignores them).
    public func site(_ runs: [PreviewRun], site: SiteParameters, now: Date) -> SitePreview {
        let currentRuns = runs.map(\.run)
        if needsBodies {
            return SitePreview(before: current.assess(observed: currentRuns, site: site, now: now),
                               after: candidate.assess(observed: runs.map { $0.candidate ?? $0.run }, site: site, now: now))
        }
        let columns = sources.map { $0 ?? 0 }
        guard current.freshnessWindow == candidate.freshnessWindow else {
            return SitePreview(before: current.assess(observed: currentRuns, site: site, now: now),
                               after: candidate.assess(observed: currentRuns, columns: columns, site: site, now: now))
        }
        // One window, so one choice of runs and one combining of each observation for both
        // policies: only the judging differs.
        let chosen = AssessedRuns(currentRuns, window: current.freshnessWindow, now: now)
        let combined = chosen.combined(columns: current.plans.count, now: now)
        return SitePreview(before: current.assessment(of: chosen.facts, combined: combined, columns: nil, site: site, now: now),
                           after: candidate.assessment(of: chosen.facts, combined: combined, columns: columns, site: site, now: now))
    }
}

/// One stored run for a preview: its observations under the current policy, and under the
/// candidate when those had to be read from the body.
public struct PreviewRun: Sendable {
    let run: ObservedRun
    let candidate: ObservedRun?
}
