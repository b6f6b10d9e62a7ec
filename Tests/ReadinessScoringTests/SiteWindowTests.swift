import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// The incremental window must give exactly the assessment `Policy.assess` computes from every
/// run, byte for byte in JSON, while runs arrive, age and leave the window.
@Suite struct SiteWindowTests {
    let policy: Policy
    let encoder = FoundationJSON.encoder()
    init() throws { policy = try Fixtures.policy() }

    /// Results shaped to collide: few distinct values (-0 beside 0), shared finish times
    /// (so run ids decide the order), few agents, routes that flap.
    private func result(_ inputs: inout GeneratedInputs, finishedAt: Date) -> ProbeResult {
        var result = inputs.result(finishedAt: finishedAt, hosts: ["media.chime.aws", "app.sococo.com", "99.77.130.17", "reflector.example.net"])
        let values: [Double] = [0, -0.0, 1, 2, 2, 40, 150, 0.5]
        if inputs.chance(60), var latency = result.latency, !latency.isEmpty {
            latency[0].jitterMs = inputs.pick(values)
            latency[0].lossPct = inputs.pick(values)
            latency[0].rttMs = inputs.chance(90) ? .init(min: 0, p50: inputs.pick(values), p95: 1, max: 2) : nil
            result.latency = latency
        }
        if inputs.chance(50) { result.bandwidth = .init(downKbps: inputs.pick(values) * 1000, upKbps: inputs.pick(values) * 100) }
        if inputs.chance(50) {
            let lower = inputs.pick([0, -0.0, 600, 600, 3600])
            result.udpTimeout = .init(lowerBoundS: lower, upperBoundS: inputs.chance(50) ? lower + inputs.pick([1, 2]) : nil,
                                      probeMaxS: inputs.pick([600, 3600]))
        }
        return result
    }

    private func json(_ assessment: SiteAssessment) throws -> String {
        String(decoding: try encoder.encode(assessment), as: UTF8.self)
    }

    /// `handedObservations`: each run comes with its evaluation's observations, as the commit
    /// lane inserts them, instead of being observed by the window.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64], [false, true])
    func givesTheFullAssessmentAsRunsArriveAndAge(seed: UInt64, handedObservations: Bool) throws {
        var inputs = GeneratedInputs(seed: seed)
        let day = policy.freshnessWindow
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        let site = inputs.site()
        var all: [ProbeResult] = []
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        var compared = 0, rebuilt = 0
        let sharedFinish = now.addingTimeInterval(-60)
        for _ in 0..<60 {
            // Mostly forward in steps of minutes to a day and more, so runs leave the window.
            now = now.addingTimeInterval(inputs.pick([0, 30, 600, 3600, day / 2, day + 1, 3 * day]))
            for _ in 0..<Int.random(in: 0...4, using: &inputs.generator) {
                let finished = inputs.chance(30) ? sharedFinish : now.addingTimeInterval(-inputs.double(0...(2 * day)))
                let run = result(&inputs, finishedAt: finished)
                all.append(run)
                window.insert(run, observed: handedObservations ? policy.evaluate(run, site: site).observations : nil)
            }
            let expected = try json(policy.assess(all, site: site, now: now))
            if let (incremental, compact) = try window.assessCompact(site: site, now: now) {
                #expect(try json(incremental) == expected)
                // The bytes stored (and hashed into the ETag), partly kept from earlier assessments.
                #expect(compact == (try CompactSiteAssessment.jsonBytes(of: incremental)))
                compared += 1
            } else {
                // What the writer does when the window lacks older runs: read them again.
                window = SiteWindow(policy: policy, completeFrom: .distantPast)
                for run in all { window.insert(run) }
                let assessment = window.assess(site: site, now: now)
                #expect(try json(try #require(assessment)) == expected)
                rebuilt += 1
            }
        }
        #expect(compared > 20, "too few incremental comparisons: \(compared) (rebuilt \(rebuilt))")
    }

    @Test func holdsOnlyTheRunsLaterAssessmentsCanUse() throws {
        let now = Fixtures.now
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for hours in [1.0, 20, 30, 50] {
            window.insert(Fixtures.optimalResult(runID: UUID(), finishedAt: now.addingTimeInterval(-hours * 3600)))
        }
        let assessed = window.assess(site: Fixtures.site, now: now)
        let assessment = try #require(assessed)
        #expect(assessment.runs == 2 && window.count == 2)
        #expect(window.completeFrom == now.addingTimeInterval(-policy.freshnessWindow))
    }

    @Test func answersNilWhenTheAssessmentNeedsRunsItDroppedAndAfterTheClockWentBack() throws {
        let now = Fixtures.now
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        window.insert(Fixtures.optimalResult(runID: UUID(), finishedAt: now.addingTimeInterval(-3600)))
        let first = window.assess(site: Fixtures.site, now: now)
        #expect(first?.verdict == .optimal)
        // Earlier than the runs already dropped could be.
        let earlier = window.assess(site: Fixtures.site, now: now.addingTimeInterval(-60))
        #expect(earlier == nil)
        // Two days on the site is stale, and its last window reaches before what was kept.
        let stale = window.assess(site: Fixtures.site, now: now.addingTimeInterval(2 * 86_400))
        #expect(stale == nil)
        // A window complete only from some moment cannot tell an empty site's last verdict.
        var empty = SiteWindow(policy: policy, completeFrom: now)
        let nothing = empty.assess(site: Fixtures.site, now: now)
        #expect(nothing == nil)
    }

    @Test func keepsTheFirstCopyOfARepeatedRunAsTheFullAssessmentDoes() throws {
        let now = Fixtures.now
        let id = UUID()
        var later = Fixtures.optimalResult(runID: id, finishedAt: now.addingTimeInterval(-60))
        later.setLatency(rtt: 400)
        let earlier = Fixtures.optimalResult(runID: id, finishedAt: now.addingTimeInterval(-120))
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        window.insert(later)
        window.insert(earlier)
        window.insert(later)
        let assessed = window.assess(site: Fixtures.site, now: now)
        let incremental = try #require(assessed)
        #expect(try json(incremental) == (try json(policy.assess([later, earlier, later], site: Fixtures.site, now: now))))
        #expect(incremental.runs == 1 && incremental.figures.rttMs?.value == 40)
    }

    @Test func ignoresObservationsMadeUnderAnotherPolicyVersion() throws {
        // Version 2 sees no RTT anywhere: were its observations taken, the RTT figure would be missing.
        var document = policy.document
        document.version += 1
        let rtt = try #require(document.rules.firstIndex { $0.kind == "rtt" })
        document.rules[rtt].destinations = ["nowhere.example"]
        let other = try Policy(document: document)
        let run = Fixtures.optimalResult(runID: UUID(), finishedAt: Fixtures.now.addingTimeInterval(-60))
        let foreign = other.evaluate(run, site: Fixtures.site).observations
        #expect(other.evaluate(run, site: Fixtures.site).finding("rtt")?.observed.value == nil)
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        window.insert(run, observed: foreign)
        let assessed = window.assess(site: Fixtures.site, now: Fixtures.now)
        let assessment = try #require(assessed)
        #expect(try json(assessment) == (try json(policy.assess([run], site: Fixtures.site, now: Fixtures.now))))
        // Observed again under this policy: the run's p50 RTT, which the other policy never looked at.
        #expect(assessment.figures.rttMs?.value == 40)
    }

    /// A steady stream: every assessment drops the oldest run, so the held runs' slice moves
    /// through its storage and is copied out again, many times over.
    @Test func staysExactWhileTheOldestRunsAreDroppedOneByOne() throws {
        var inputs = GeneratedInputs(seed: 42)
        let site = inputs.site()
        let step = policy.freshnessWindow / 40
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var all: [ProbeResult] = []
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for index in 0..<400 {
            now = now.addingTimeInterval(step)
            let run = result(&inputs, finishedAt: now.addingTimeInterval(-1))
            all.append(run)
            window.insert(run, observed: policy.evaluate(run, site: site).observations)
            let assessed = window.assess(site: site, now: now)
            let incremental = try #require(assessed)
            #expect(window.count <= 41)
            if index % 23 == 0 {
                #expect(try json(incremental) == (try json(policy.assess(all, site: site, now: now))))
            }
        }
    }

    /// Judgements are kept from one assessment to the next only for the same site parameters:
    /// the UDP timeout's and bandwidth's thresholds scale with them.
    @Test func judgesAgainWhenTheSiteParametersChange() throws {
        var inputs = GeneratedInputs(seed: 7)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let runs = (0..<12).map { index in result(&inputs, finishedAt: now.addingTimeInterval(-Double(index) * 600)) }
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for run in runs { window.insert(run) }
        let sites = [SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600),
                     SiteParameters(expectedConcurrentUsers: 400, longestCallS: 7200),
                     SiteParameters(expectedConcurrentUsers: 400, longestCallS: -0.0),
                     SiteParameters(expectedConcurrentUsers: 400, longestCallS: 0)]
        var findings: Set<String> = []
        for site in sites + sites {
            let assessed = window.assess(site: site, now: now)
            let incremental = try #require(assessed)
            #expect(try json(incremental) == (try json(policy.assess(runs, site: site, now: now))))
            findings.insert(try json(incremental))
        }
        #expect(findings.count >= 2, "the sites should be told apart by their assessments")
    }
}
