import Foundation
import ReadinessScoring
import Testing
@testable import ReadinessApp

/// The upload answer is written by hand; it must stay the bytes `APIJSON.encoder` wrote.
@Suite struct UploadOutcomeJSONTests {
    static func outcome(_ index: Int) -> UploadOutcome {
        let verdicts = Verdict.allCases
        let codes = ["UDP_3478_BLOCKED", "RTT_HIGH", "odd \"code\"\\/\u{1}é"]
        var summary = AssessmentSummary(verdict: verdicts[index % verdicts.count], score: nil, mos: nil, transport: nil, findingCodes: [])
        summary.score = index % 3 == 0 ? nil : index * 7 % 101
        summary.mos = index % 4 == 0 ? nil : [4.2, 1, 3.999_999_999_9, 1e-7, 0][index % 5]
        summary.transport = index % 5 == 0 ? nil : Transport.allCases[index % Transport.allCases.count]
        summary.findingCodes = Array(codes.prefix(index % 4))
        return UploadOutcome(runID: UUID(), siteID: UUID(), status: index % 2 == 0 ? .created : .duplicate, assessment: summary)
    }

    @Test func singleAnswersAreTheBytesAPIJSONWrote() throws {
        for index in 0..<60 {
            let outcome = Self.outcome(index)
            let expected = Array(try APIJSON.encoder.encode(outcome))
            #expect(outcome.jsonBytes().map { String(decoding: $0, as: UTF8.self) } == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test func batchAnswersAreTheBytesAPIJSONWrote() throws {
        for count in [1, 2, 7, 30] {
            let batch = UploadBatchOutcome(results: (0..<count).map(Self.outcome))
            #expect(batch.jsonBytes() == Array(try APIJSON.encoder.encode(batch)))
        }
    }
}
