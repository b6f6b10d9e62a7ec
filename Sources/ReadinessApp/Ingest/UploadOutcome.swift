import Foundation
import ReadinessScoring

/// The headline of one result's assessment, as the upload answer carries it.
struct AssessmentSummary: Sendable, Equatable {
    var verdict: Verdict
    var score: Int?
    var mos: Double?
    var transport: Transport?
    /// Codes of findings that are not `pass`, in policy rule order (the draft's definition).
    var findingCodes: [String]

    init(verdict: Verdict, score: Int?, mos: Double?, transport: Transport?, findingCodes: [String]) {
        self.verdict = verdict
        self.score = score
        self.mos = mos
        self.transport = transport
        self.findingCodes = findingCodes
    }

    init(_ evaluation: ResultEvaluation) {
        verdict = evaluation.verdict
        score = evaluation.score
        mos = evaluation.mos
        transport = evaluation.transport
        findingCodes = evaluation.findings.filter { $0.status != .pass }.map(\.code)
    }

    /// The same summary from the stored compact form, which lists the codes itself.
    init(_ compact: CompactEvaluation) {
        verdict = compact.verdict
        score = compact.score
        mos = compact.mos
        transport = compact.transport
        findingCodes = compact.findingCodes
    }

}

/// One result's outcome: stored now, or a replay of an earlier identical upload. The wire
/// shapes of these answers are declared in `UploadOutcome+JSON`.
struct UploadOutcome: Sendable, Equatable {
    enum Status: String, Sendable {
        case created
        case duplicate
    }

    var runID: UUID
    var siteID: UUID
    var status: Status
    var assessment: AssessmentSummary
}

/// The answer to a batch: one outcome per result, in request order.
struct UploadBatchOutcome: Sendable, Equatable {
    var results: [UploadOutcome]
}
