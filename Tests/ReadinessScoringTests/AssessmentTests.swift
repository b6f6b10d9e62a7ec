import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

@Suite struct AssessmentTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    private func run(_ minutesAgo: Double, host: String = "pc-1", _ edit: (inout ProbeResult) -> Void = { _ in }) -> ProbeResult {
        var result = Fixtures.optimalResult(runID: UUID(), finishedAt: Fixtures.now.addingTimeInterval(-minutesAgo * 60))
        result.agent.hostname = host
        edit(&result)
        return result
    }

    @Test func combinesFreshRunsWithMediansAndALowBandwidthPercentile() throws {
        let runs = [
            run(10) { $0.setLatency(rtt: 100, jitter: 10, loss: 0.5); $0.bandwidth = .init(downKbps: 50_000, upKbps: 9000) },
            run(20, host: "pc-2") { $0.setLatency(rtt: 300, jitter: 20, loss: 0); $0.bandwidth = .init(downKbps: 90_000, upKbps: 30_000) },
            run(30) { $0.setLatency(rtt: 120, jitter: 40, loss: 2); $0.bandwidth = .init(downKbps: 80_000, upKbps: 20_000) },
            run(60 * 25) { $0.setLatency(rtt: 900) },  // outside the 24 h window: ignored
        ]
        let assessment = policy.assess(runs, site: Fixtures.site, now: Fixtures.now)
        #expect(assessment.runs == 3 && assessment.agents == 2)
        #expect(assessment.figures.rttMs == Figure(value: 120, samples: 3, newestAgeS: 600, oldestAgeS: 1800))
        #expect(assessment.figures.jitterMs?.value == 20)
        #expect(assessment.figures.lossPct?.value == 0.5)
        // Nearest-rank p10 of three values is the lowest.
        #expect(assessment.figures.upKbps?.value == 9000)
        #expect(assessment.figures.downKbps?.value == 50_000)
        #expect(assessment.verdict == .optimal)
        #expect(assessment.finding(code: "RTT_HIGH")?.confidence == Confidence(samples: 3, newestAgeS: 600, oldestAgeS: 1800))
    }

    @Test func flagsAFlappingRouteAsAWarningWithItsFraction() throws {
        let runs = [run(10), run(20) { $0.setReachable(.udp, "media.chime.aws", 3478, false) }, run(30), run(40)]
        let finding = try #require(policy.assess(runs, site: Fixtures.site, now: Fixtures.now).finding(code: "UDP_3478_BLOCKED"))
        #expect(finding.status == .warn)
        #expect(finding.observed.passFraction == 0.75)
        #expect(finding.observed.runs == 4)
    }

    @Test func isStaleWhenNothingIsFreshButKeepsTheLastVerdict() {
        let runs = [run(60 * 30) { $0.setLatency(rtt: 200) }, run(60 * 60)]  // the older run is outside the last window
        let assessment = policy.assess(runs, site: Fixtures.site, now: Fixtures.now)
        #expect(assessment.verdict == .stale)
        #expect(assessment.lastVerdict == .minimal)
        #expect(assessment.score == nil)
    }

    @Test func isStaleWithoutAnyResult() {
        let assessment = policy.assess([], site: Fixtures.site, now: Fixtures.now)
        #expect(assessment.verdict == .stale && assessment.lastVerdict == nil && assessment.findings.isEmpty)
    }

    @Test func givesTheSameAssessmentWhateverTheInputOrder() throws {
        let runs = (0..<12).map { index in
            run(Double(index * 7), host: "pc-\(index % 3)") {
                $0.setLatency(rtt: Double(60 + index * 13 % 90), jitter: Double(index % 7), loss: Double(index % 3) / 2)
                if index % 4 == 0 { $0.setReachable(.udp, "media.chime.aws", 3478, false) }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let reference = try encoder.encode(policy.assess(runs, site: Fixtures.site, now: Fixtures.now))
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<20 {
            let shuffled = runs.shuffled(using: &generator) + runs.prefix(2)  // duplicates are ignored too
            #expect(try encoder.encode(policy.assess(shuffled, site: Fixtures.site, now: Fixtures.now)) == reference)
        }
    }

    @Test func encodesStableSnakeCaseJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(policy.assess([run(5)], site: Fixtures.site, now: Fixtures.now)), as: UTF8.self)
        for key in ["\"policy_version\"", "\"assessed_at\":\"2026-11-18T11:06:40Z\"", "\"rule_id\"", "\"newest_age_s\"", "\"optimal_users\"",
                    "\"transport\":\"udp_media_direct\"", "\"verdict\":\"optimal\"", "\"window_s\":86400"] {
            #expect(json.contains(key), "missing \(key)")
        }
    }
}
