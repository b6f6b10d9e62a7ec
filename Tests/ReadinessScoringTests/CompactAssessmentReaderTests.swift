import Foundation
import JSON
import ReadinessContractFixtures
import Testing
@testable import ReadinessScoring

/// The tape reader of stored compact assessments reads what their `Decodable` conformance
/// reads: the same value from the same bytes, absent and null optional members alike, unknown
/// members ignored, and a fault wherever the decoder would fail.
@Suite struct CompactAssessmentReaderTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    private func read(_ bytes: [UInt8]) throws -> CompactSiteAssessment? {
        try CompactAssessmentReader(tape: JSONTape.parse(bytes)).assessment()
    }

    private func object(_ assessment: SiteAssessment) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(try CompactSiteAssessment(assessment).jsonBytes())) as? [String: Any])
    }

    @Test func readsWhatTheDecoderReadsOverGeneratedAssessments() throws {
        var inputs = GeneratedInputs(seed: 17)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for round in 0..<300 {
            var assessment = inputs.assessment(by: policy, now: now)
            if round % 3 == 0 { assessment.lastVerdict = inputs.pick(Verdict.allCases) }
            if round % 5 == 0, !assessment.findings.isEmpty { assessment.findings[0].confidence = nil }
            let stored = try CompactSiteAssessment(assessment).jsonBytes()
            let decoded = try JSONDecoder().decode(CompactSiteAssessment.self, from: Data(stored))
            #expect(try read(stored) == decoded)
        }
    }

    @Test func nullOptionalMembersReadAsAbsentOnesAndUnknownMembersAreIgnored() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var assessment = policy.assess([Fixtures.optimalResult()], site: Fixtures.site, now: now)
        assessment.lastVerdict = .minimal
        var object = try object(assessment)
        for name in ["last_verdict", "score", "mos", "transport", "newest_result_at", "oldest_result_at"] { object[name] = NSNull() }
        object["added_later"] = ["a": 1]
        var findings = try #require(object["findings"] as? [[String: Any]])
        findings[0]["confidence"] = NSNull()
        findings[0]["hosts"] = NSNull()
        object["findings"] = findings
        let bytes = [UInt8](try JSONSerialization.data(withJSONObject: object))
        let decoded = try JSONDecoder().decode(CompactSiteAssessment.self, from: Data(bytes))
        let read = try #require(try read(bytes))
        #expect(read == decoded)
        #expect(read.lastVerdict == nil && read.score == nil && read.findings[0].confidence == nil)
    }

    @Test(arguments: [
        ("verdict", "\"maybe\""), ("policy_version", "1.5"), ("runs", "\"3\""), ("site", "[]"), ("findings", "{}"),
        ("capacity", "null"), ("window_s", "true"),
    ])
    func aMemberTheDecoderRefusesIsAFault(member: String, replacement: String) throws {
        let assessment = policy.assess([Fixtures.optimalResult()], site: Fixtures.site, now: Fixtures.now)
        var object = try object(assessment)
        object[member] = try JSONSerialization.jsonObject(with: Data(replacement.utf8), options: .fragmentsAllowed)
        let bytes = [UInt8](try JSONSerialization.data(withJSONObject: object))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CompactSiteAssessment.self, from: Data(bytes)) }
        #expect(throws: CompactAssessmentReader.Fault.self) { try read(bytes) }
    }

    @Test func aDocumentWithoutCompactIsLeftToTheFullForm() throws {
        let assessment = policy.assess([Fixtures.optimalResult()], site: Fixtures.site, now: Fixtures.now)
        #expect(try read(try assessment.jsonBytes()) == nil)
    }
}
