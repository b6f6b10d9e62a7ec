import ReadinessContract
import Foundation

/// One result scored against a policy and a site's parameters.
public struct ResultEvaluation: Codable, Sendable, Equatable {
    public var runID: UUID
    public var policy: String
    public var policyVersion: Int
    public var site: SiteParameters
    public var verdict: Verdict
    /// 0–100; absent for insufficient data.
    public var score: Int?
    public var findings: [Finding]
    public var mos: Double?
    public var capacity: Capacity
    public var transport: Transport?
    /// The rules' observations of the run when this evaluation was just computed, else empty
    /// (never stored or served): the site window takes them instead of observing the run again.
    public var observations = RunObservations()

    enum CodingKeys: String, CodingKey {
        case policy, site, verdict, score, findings, mos, capacity, transport
        case runID = "run_id"
        case policyVersion = "policy_version"
    }
}

extension Policy {
    /// Scores one result. Pure: no clock, no I/O; the same inputs give the same evaluation.
    /// Verdict, score and MOS come from the compact judgements (`EvaluationTally`); the
    /// findings are built once, from per-rule templates, only for the output.
    public func evaluate(_ result: ProbeResult, site: SiteParameters) -> ResultEvaluation {
        var tally = EvaluationTally()
        var findings: [Finding] = []
        findings.reserveCapacity(plans.count)
        var observations: [RuleObservation] = []
        observations.reserveCapacity(plans.count)
        for plan in plans {
            let observation = plan.observe(result)
            observations.append(observation)
            let judgement = plan.judge(observation, site: site)
            tally.add(plan, judgement, site: site)
            plan.appendFinding(judgement, site: site, to: &findings)
        }
        let verdict = tally.verdict
        return ResultEvaluation(
            runID: result.runID, policy: name, policyVersion: version, site: site, verdict: verdict,
            score: ReadinessScore.score(verdict: verdict, tally: tally),
            findings: findings, mos: tally.mos, capacity: capacity(result.bandwidth), transport: transport(findings),
            observations: RunObservations(policy: self, values: observations)
        )
    }
}
