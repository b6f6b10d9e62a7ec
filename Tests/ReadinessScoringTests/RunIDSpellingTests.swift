import JSON
import Foundation
import Testing
import ReadinessContract
import ReadinessContractFixtures
@testable import ReadinessScoring

@Suite struct RunIDSpellingTests {
    @Test func canonicalJSONAndEvaluationsSpellTheRunIDInLowerCase() throws {
        let runID = UUID()
        let json = """
            {"schema":"probe-result/v1","run_id":"\(runID.uuidString.lowercased())","agent":{"version":"1","os":"linux"},
             "started_at":"2026-11-24T10:00:00Z","finished_at":"2026-11-24T10:01:00Z",
             "network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},
                        "vpn":{"present":false,"tunnel":"none","media_excluded":false}}}
            """
        let decoded = try ProbeResultDecoder.decode(Array(json.utf8), now: try #require(RFC3339Timestamp.parse("2026-11-24T12:00:00Z"))).get()
        let result = try #require(decoded.results.first)
        let canonical = String(decoding: result.canonicalJSON(), as: UTF8.self)
        #expect(canonical.contains("\"run_id\":\"\(runID.uuidString.lowercased())\""))
        let evaluation = try Fixtures.policy().evaluate(result, site: SiteParameters(expectedConcurrentUsers: 1, longestCallS: 60))
        let encoded = String(decoding: try JSONEncoder().encode(evaluation), as: UTF8.self)
        #expect(encoded.contains("\"run_id\":\"\(runID.uuidString.lowercased())\""))
        #expect(try JSONDecoder().decode(ResultEvaluation.self, from: JSONEncoder().encode(evaluation)) == evaluation)
    }
}
