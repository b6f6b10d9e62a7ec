import Foundation
import ReadinessScoring

/// The headline of one result's assessment, as the upload answer carries it.
struct AssessmentSummary: Codable, Sendable, Equatable {
    var verdict: Verdict
    var score: Int?
    var mos: Double?
    var transport: Transport?
    /// Codes of findings that are not `pass`, in policy rule order (the draft's definition).
    var findingCodes: [String]

    enum CodingKeys: String, CodingKey {
        case verdict, score, mos, transport
        case findingCodes = "finding_codes"
    }

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

    /// Nulls are written, never omitted: the draft lists every member as required.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(score, forKey: .score)
        try container.encode(mos, forKey: .mos)
        try container.encode(transport, forKey: .transport)
        try container.encode(findingCodes, forKey: .findingCodes)
    }
}

/// One result's outcome: stored now, or a replay of an earlier identical upload.
struct UploadOutcome: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable {
        case created
        case duplicate
    }

    var runID: UUID
    var siteID: UUID
    var status: Status
    var assessment: AssessmentSummary

    enum CodingKeys: String, CodingKey {
        case status, assessment
        case runID = "run_id"
        case siteID = "site_id"
    }

    /// UUIDs in the lowercase form RFC 9562 §4 recommends (Foundation writes uppercase).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID.uuidString.lowercased(), forKey: .runID)
        try container.encode(siteID.uuidString.lowercased(), forKey: .siteID)
        try container.encode(status, forKey: .status)
        try container.encode(assessment, forKey: .assessment)
    }
}

/// The answer to a batch: one outcome per result, in request order.
struct UploadBatchOutcome: Codable, Sendable, Equatable {
    var results: [UploadOutcome]
}
