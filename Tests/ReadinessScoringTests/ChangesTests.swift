import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

@Suite struct ChangesTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    private func assess(_ edit: (inout ProbeResult) -> Void) -> SiteAssessment {
        var result = Fixtures.optimalResult()
        edit(&result)
        return policy.assess([result], site: Fixtures.site, now: Fixtures.now)
    }

    @Test func reportsADegradedVerdictAndTheFindingsThatAppeared() {
        let before = assess { _ in }
        let after = assess { $0.setLatency(rtt: 450); $0.network.proxy.inMediaPath = true }
        let changes = AssessmentChanges.between(before, after)
        #expect(changes.verdict == .init(code: "VERDICT_DEGRADED", from: .optimal, to: .notReady))
        #expect(changes.findings.map { "\($0.code) \($0.change.rawValue) \($0.to?.rawValue ?? "-")" } == [
            "MEDIA_VIA_PROXY appeared fail", "RTT_HIGH appeared fail",
        ])
    }

    @Test func reportsClearedAndChangedFindings() {
        let before = assess { $0.setLatency(rtt: 450); $0.bandwidth = nil }
        let after = assess { $0.setLatency(rtt: 200) }
        let changes = AssessmentChanges.between(before, after)
        #expect(changes.verdict?.code == "VERDICT_IMPROVED")
        #expect(changes.findings.map { "\($0.code) \($0.change.rawValue)" } == ["BANDWIDTH_INSUFFICIENT cleared"])
        let worse = assess { $0.setLatency(rtt: 450) }
        #expect(AssessmentChanges.between(after, worse).findings.isEmpty)  // fail → fail: same status, nothing new
    }

    @Test func reportsNothingForTheSameAssessment() {
        #expect(AssessmentChanges.between(assess { _ in }, assess { _ in }).isEmpty)
    }

    @Test func reportsAStaleSiteAndItsReturn() {
        let fresh = assess { _ in }
        let stale = policy.assess([Fixtures.optimalResult(finishedAt: Fixtures.now.addingTimeInterval(-90_000))],
                                  site: Fixtures.site, now: Fixtures.now)
        #expect(AssessmentChanges.between(fresh, stale).verdict?.code == "VERDICT_STALE")
        #expect(AssessmentChanges.between(stale, fresh).verdict?.code == "VERDICT_FRESH")
    }
}
