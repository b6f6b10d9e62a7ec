import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

/// Stored evaluations and site assessments leave out what the policy fixes and join it back
/// on reading: the document read back must equal the one computed, member for member and
/// byte for byte in JSON, over generated results, sites and windows.
@Suite struct CompactFormTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    @Test func evaluationsComeBackEqualFromTheirCompactForm() throws {
        var inputs = GeneratedInputs(seed: 11)
        for _ in 0..<1000 {
            let evaluation = policy.evaluate(inputs.result(), site: inputs.site())
            let stored = try CompactEvaluation(evaluation).jsonBytes()
            let expanded = try policy.evaluation(try CompactEvaluation.decode(stored))
            #expect(expanded == evaluation)
            #expect(try expanded.jsonBytes() == evaluation.jsonBytes())
        }
    }

    @Test func compactEvaluationListsTheCodesTheUploadAnswerNeeds() throws {
        var inputs = GeneratedInputs(seed: 12)
        for _ in 0..<200 {
            let evaluation = policy.evaluate(inputs.result(), site: inputs.site())
            let compact = try CompactEvaluation.decode(try CompactEvaluation(evaluation).jsonBytes())
            #expect(compact.findingCodes == evaluation.findings.filter { $0.status != .pass }.map(\.code))
            #expect(compact.verdict == evaluation.verdict && compact.score == evaluation.score)
            #expect(compact.mos == evaluation.mos && compact.transport == evaluation.transport)
        }
    }

    @Test func siteAssessmentsComeBackEqualFromTheirCompactForm() throws {
        var inputs = GeneratedInputs(seed: 13)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for round in 0..<200 {
            var assessment = inputs.assessment(by: policy, now: now)
            if round % 3 == 0 { assessment.lastVerdict = inputs.pick(Verdict.allCases) }
            let stored = try CompactSiteAssessment(assessment).jsonBytes()
            #expect(try policy.storedSiteAssessment(stored) == assessment)
            #expect(try policy.storedSiteAssessment(stored).jsonBytes() == assessment.jsonBytes())
            guard case .compact(let compact) = try StoredAssessmentForm(stored: stored) else {
                Issue.record("a compact document read as the full form")
                return
            }
            #expect(compact.policy == policy.name && compact.policyVersion == policy.version && compact.compact == 1)
        }
    }

    /// The lane writes the stored bytes straight from the assessment; they must be the compact
    /// value's, byte for byte (they are hashed into the ETag).
    @Test func compactBytesWrittenFromTheAssessmentEqualTheCompactValuesBytes() throws {
        var inputs = GeneratedInputs(seed: 15)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for round in 0..<300 {
            var assessment = inputs.assessment(by: policy, now: now)
            if round % 3 == 0 { assessment.lastVerdict = inputs.pick(Verdict.allCases) }
            if round % 5 == 0, !assessment.findings.isEmpty { assessment.findings[0].confidence = nil }
            #expect(try CompactSiteAssessment.jsonBytes(of: assessment) == CompactSiteAssessment(assessment).jsonBytes())
        }
    }

    /// Rows written before the compact form hold the full document; they read as they are.
    @Test func fullFormStoredBeforeStillReads() throws {
        var inputs = GeneratedInputs(seed: 14)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let results = (0..<5).map { _ in inputs.result(finishedAt: now.addingTimeInterval(-inputs.double(0...80_000))) }
        let assessment = policy.assess(results, site: Fixtures.site, now: now)
        let full = try assessment.jsonBytes()
        guard case .full(let read) = try StoredAssessmentForm(stored: full) else {
            Issue.record("a full document read as the compact form")
            return
        }
        #expect(read == assessment)
        #expect(try policy.storedSiteAssessment(full) == assessment)
    }

    /// Only a missing `compact` member means the full form: a compact document missing another
    /// member is an error, not a full document.
    @Test func aCompactDocumentMissingAMemberIsAnError() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let assessment = policy.assess([Fixtures.optimalResult()], site: Fixtures.site, now: now)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(try CompactSiteAssessment(assessment).jsonBytes())) as? [String: Any])
        object.removeValue(forKey: "verdict")
        let damaged = [UInt8](try JSONSerialization.data(withJSONObject: object))
        #expect(throws: CompactAssessmentReader.Fault.self) { try StoredAssessmentForm(stored: damaged) }
        #expect(throws: CompactAssessmentReader.Fault.self) { try policy.storedSiteAssessment(damaged) }
    }

    @Test func compactFormsAreAFractionOfTheFullOnes() throws {
        let evaluation = policy.evaluate(Fixtures.optimalResult(), site: Fixtures.site)
        let assessment = policy.assess([Fixtures.optimalResult()], site: Fixtures.site, now: Fixtures.now)
        #expect(try CompactEvaluation(evaluation).jsonBytes().count * 4 < evaluation.jsonBytes().count)
        #expect(try CompactSiteAssessment(assessment).jsonBytes().count * 3 < assessment.jsonBytes().count)
        // Small enough to stay uncompressed inside its row (migration 0008 lets rows of
        // site_assessments grow to 8160 bytes before PostgreSQL compresses or moves values out).
        let size = try CompactSiteAssessment(assessment).jsonBytes().count
        #expect(size < 4096, "\(size) bytes")
    }

    @Test func expandingWithAnotherPolicyVersionOrAnUnknownRuleFails() throws {
        let evaluation = policy.evaluate(Fixtures.optimalResult(), site: Fixtures.site)
        var compact = CompactEvaluation(evaluation)
        compact.policyVersion += 1
        #expect(throws: CompactFormError.otherPolicy(name: policy.name, version: policy.version + 1)) {
            try policy.evaluation(compact)
        }
        compact = CompactEvaluation(evaluation)
        compact.findings[2].ruleID = "no-such-rule"
        #expect(throws: CompactFormError.unknownRule("no-such-rule")) { try policy.evaluation(compact) }
    }

    /// Rules found by id, not by position: a document whose findings are in another order
    /// still expands to the same findings.
    @Test func findingsAreJoinedByRuleIDWhateverTheirOrder() throws {
        let evaluation = policy.evaluate(Fixtures.optimalResult(), site: Fixtures.site)
        var compact = CompactEvaluation(evaluation)
        compact.findings.reverse()
        #expect(try policy.evaluation(compact).findings == evaluation.findings.reversed())
    }
}
