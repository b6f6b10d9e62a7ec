import JSON
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

/// The runs an assessment judges at a moment, oldest first: the freshness window's, else (a
/// stale site) the window ending at the newest run; and the agents behind them.
struct AssessedRuns {
    let runs: [ObservedRun]
    let fresh: Bool
    let agents: Int

    /// `Policy.assess`'s choice: sorted and de-duplicated by run, then the window.
    init(_ all: [ObservedRun], window: TimeInterval, now: Date) {
        var seen = Set<UUID>()
        seen.reserveCapacity(all.count)
        let ordered = all
            .sorted { ($0.finishedAt, $0.runID) < ($1.finishedAt, $1.runID) }
            .filter { seen.insert($0.runID).inserted }
        let cutoff = now.addingTimeInterval(-window)
        let fresh = ordered.filter { $0.finishedAt >= cutoff }
        if !fresh.isEmpty || ordered.isEmpty {
            runs = fresh
            self.fresh = true
        } else {
            let from = (ordered.last?.finishedAt ?? now).addingTimeInterval(-window)
            runs = ordered.filter { $0.finishedAt >= from }
            self.fresh = false
        }
        agents = Set(runs.map { $0.hostname ?? $0.runID.uuidString }).count
    }

    /// What the assessment reads of the runs besides their observations.
    var facts: ChosenRunFacts {
        ChosenRunFacts(count: runs.count, agents: agents, newest: runs.last?.finishedAt, oldest: runs.first?.finishedAt, fresh: fresh)
    }

    /// Each column of the runs' observations combined (`ObservationCombiner`), with its
    /// confidence at `now`: what every rule reading that column is judged from.
    func combined(columns: Int, now: Date) -> [(RuleObservation, Confidence)] {
        let ages = runs.map { max(0, now.timeIntervalSince($0.finishedAt)) }
        var column: [RuleObservation] = []
        column.reserveCapacity(runs.count)
        return (0..<columns).map { index in
            column.removeAll(keepingCapacity: true)
            for run in runs { column.append(run.observations[index]) }
            let (observation, contributing) = ObservationCombiner.combine(column)
            let used = contributing.map { ages[$0] }
            return (observation, Confidence(samples: contributing.count, newestAgeS: used.min(), oldestAgeS: used.max()))
        }
    }
}

/// What an assessment reads of the runs it judges besides their combined observations: how
/// many, behind how many agents, the newest and oldest finish, and whether they are the
/// freshness window's (else the window ending at the newest run: the site is stale).
struct ChosenRunFacts {
    let count: Int
    let agents: Int
    let newest: Date?
    let oldest: Date?
    let fresh: Bool
}

extension Policy {
    /// `assess(_:site:now:window:)` of runs already observed: the same choice of runs (sorted
    /// and de-duplicated by run, the freshness window, else the window ending at the newest
    /// run for `last_verdict`), the same combining and the same assessment. `columns[i]` is
    /// where this policy's rule `i` sits in each run's observations (another version's rule
    /// that observes the same thing); nil when they are this policy's own, in its order.
    func assess(observed runs: [ObservedRun], columns: [Int]? = nil, site: SiteParameters, now: Date) -> SiteAssessment {
        let chosen = AssessedRuns(runs, window: freshnessWindow, now: now)
        let width = chosen.runs.first?.observations.count ?? 0
        return assessment(of: chosen.facts, combined: chosen.combined(columns: width, now: now), columns: columns, site: site, now: now)
    }

    /// The assessment of `chosen` from its combined columns, rule `i` judged from column
    /// `columns?[i] ?? i` (with no runs, every rule from nothing, as `assess` of no results).
    func assessment(
        of chosen: ChosenRunFacts, combined columnFigures: [(RuleObservation, Confidence)], columns: [Int]?,
        site: SiteParameters, now: Date
    ) -> SiteAssessment {
        let combined: [CombinedRule] = plans.indices.map { ruleIndex in
            let column = columns?[ruleIndex] ?? ruleIndex
            let (observation, confidence) = column < columnFigures.count
                ? columnFigures[column] : (.metric(nil), Confidence(samples: 0, newestAgeS: nil, oldestAgeS: nil))
            return CombinedRule(plans[ruleIndex], observation, confidence, site: site)
        }
        var assessed = assessment(
            of: combined, runs: chosen.count, agents: chosen.agents, newest: chosen.newest, oldest: chosen.oldest,
            site: site, now: now, window: freshnessWindow)
        if !chosen.fresh {
            assessed.lastVerdict = assessed.verdict
            assessed.verdict = .stale
            assessed.score = nil
        }
        return assessed
    }
}
