import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// `PolicyPreview` judges a candidate from the current version's stored window entries: it
/// must give what `Policy.assess` gives each policy over the decoded results.
@Suite struct PolicyPreviewTests {
    let current: Policy
    init() throws { current = try Fixtures.policy() }

    /// The default policy with its RTT limits changed: only thresholds, so the entries serve.
    static func stricterRTT(_ policy: Policy, optimal: Double = 100, minimal: Double = 200) throws -> Policy {
        var document = policy.document
        document.version = policy.version + 1
        for index in document.rules.indices where document.rules[index].kind == "rtt" {
            for tier in document.rules[index].tiers.indices {
                let isOptimal = document.rules[index].tiers[tier].tier == "optimal"
                document.rules[index].tiers[tier].limit?.value = isOptimal ? optimal : minimal
            }
        }
        return try Policy(document: document)
    }

    private func runs(rtts: [Double], minutesApart: Double = 5) -> [ProbeResult] {
        rtts.enumerated().map { index, rtt in
            var result = Fixtures.optimalResult(runID: UUID(), finishedAt: Fixtures.now.addingTimeInterval(-Double(index + 1) * minutesApart * 60))
            result.agent.hostname = "pc-\(index % 3)"
            result.setLatency(rtt: rtt, jitter: 5, loss: 0)
            return result
        }
    }

    /// Each run as the store keeps it: its entry under the policy that evaluated it.
    private func entries(_ results: [ProbeResult], preview: PolicyPreview) throws -> [PreviewRun] {
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        return try results.map { result in
            let evaluation = current.evaluate(result, site: site)
            let entry = try #require(WindowEntry.text(of: evaluation.observations, hostname: result.agent.hostname, policy: current))
            return try #require(preview.run(entry: entry, runID: result.runID, finishedAt: result.finishedAt))
        }
    }

    @Test(arguments: [
        [21.0, 22, 25],          // optimal either way
        [120.0, 130, 140],       // optimal -> minimal
        [250.0, 300, 350],       // minimal -> not ready
        [90.0, 500, 110, 105],   // an even count: the median of the middle two
        [],                      // no runs at all
    ])
    func thresholdChangesAreJudgedFromEntriesAsAssessJudgesResults(rtts: [Double]) throws {
        let candidate = try Self.stricterRTT(current)
        let preview = PolicyPreview(current: current, candidate: candidate)
        #expect(preview.rulesReadFromBodies.isEmpty && !preview.needsBodies)
        let results = runs(rtts: rtts)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let outcome = preview.site(try entries(results, preview: preview), site: site, now: Fixtures.now)
        let before = current.assess(results, site: site, now: Fixtures.now)
        let after = candidate.assess(results, site: site, now: Fixtures.now)
        #expect(outcome.before == before)
        #expect(outcome.after == after)
        #expect(outcome.verdictChanged == (before.verdict != after.verdict))
    }

    @Test func aShorterFreshnessWindowChoosesItsOwnRuns() throws {
        var document = try Self.stricterRTT(current).document
        document.freshnessWindowS = 3600
        let candidate = try Policy(document: document)
        let preview = PolicyPreview(current: current, candidate: candidate)
        // 40 minutes apart: two runs in the candidate's hour, the 300 ms one only in the day.
        let results = runs(rtts: [90, 95, 300, 310], minutesApart: 40)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let outcome = preview.site(try entries(results, preview: preview), site: site, now: Fixtures.now)
        #expect(outcome.before == current.assess(results, site: site, now: Fixtures.now))
        #expect(outcome.after == candidate.assess(results, site: site, now: Fixtures.now))
        #expect(outcome.after.runs == 1 && outcome.before.runs == 4)
    }

    @Test func aStaleSiteKeepsTheVerdictOfItsLastWindowUnderEitherPolicy() throws {
        let candidate = try Self.stricterRTT(current)
        let preview = PolicyPreview(current: current, candidate: candidate)
        let results = runs(rtts: [140, 130], minutesApart: 60 * 30)  // 30 and 60 hours ago
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let outcome = preview.site(try entries(results, preview: preview), site: site, now: Fixtures.now)
        #expect(outcome.before == current.assess(results, site: site, now: Fixtures.now))
        #expect(outcome.after == candidate.assess(results, site: site, now: Fixtures.now))
        #expect(outcome.before.verdict == .stale && outcome.after.verdict == .stale)
        #expect(outcome.before.lastVerdict == .optimal && outcome.after.lastVerdict == .minimal)
    }

    @Test func aRuleObservingOtherDestinationsIsReadFromBodies() throws {
        var document = current.document
        document.version = 2
        for index in document.rules.indices where document.rules[index].kind == "rtt" {
            document.rules[index].destinations = ["*.chime.aws"]
        }
        let candidate = try Policy(document: document)
        let preview = PolicyPreview(current: current, candidate: candidate)
        #expect(preview.rulesReadFromBodies == ["rtt"])
        let results = runs(rtts: [120, 160, 140])
        #expect(preview.run(entry: "m1", runID: UUID(), finishedAt: Fixtures.now) == nil)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let outcome = preview.site(results.map { preview.run($0, finishedAt: $0.finishedAt) }, site: site, now: Fixtures.now)
        #expect(outcome.before == current.assess(results, site: site, now: Fixtures.now))
        #expect(outcome.after == candidate.assess(results, site: site, now: Fixtures.now))
    }

    @Test func causesAndTallyNameTheFindingsThatMoveTheVerdict() throws {
        let candidate = try Self.stricterRTT(current)
        let preview = PolicyPreview(current: current, candidate: candidate)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        var tally = PreviewTally()
        for rtts in [[130.0, 140], [21.0, 22], [300.0, 310]] {
            let results = runs(rtts: rtts)
            tally.add(preview.site(try entries(results, preview: preview), site: site, now: Fixtures.now))
        }
        let changed = preview.site(try entries(runs(rtts: [130, 140]), preview: preview), site: site, now: Fixtures.now)
        #expect(changed.causes.map(\.code) == ["RTT_HIGH"])
        #expect(changed.causes.first?.before == .pass && changed.causes.first?.after == .fail)
        #expect(changed.appearing == ["RTT_HIGH"] && changed.clearing.isEmpty)
        // Failing either way, but blocking the minimal tier now: that is what moves the verdict.
        let worse = preview.site(try entries(runs(rtts: [300, 310]), preview: preview), site: site, now: Fixtures.now)
        #expect(worse.causes.count == 1)
        #expect(worse.causes.first?.blocksBefore == .optimal && worse.causes.first?.blocksAfter == .minimal)
        #expect(tally.sites == 3 && tally.changed == 2)
        #expect(tally.before[.optimal] == 2 && tally.before[.minimal] == 1)
        #expect(tally.after[.optimal] == 1 && tally.after[.minimal] == 1 && tally.after[.notReady] == 1)
        #expect(tally.appearing == ["RTT_HIGH": 1])  // the 300 ms site already failed RTT_HIGH's optimal tier
    }
}
