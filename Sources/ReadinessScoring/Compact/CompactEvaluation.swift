import JSON
import Foundation

/// A result's evaluation as `results.evaluation` stores it: the headline (verdict, score, MOS,
/// capacity, transport, the codes the upload answer lists) and each rule's `CompactFinding`.
/// About a tenth of the full document; `Policy.evaluation(_:)` gives the full one back, equal
/// to what `Policy.evaluate` returned when the result arrived.
public struct CompactEvaluation: Codable, Sendable, Equatable {
    /// Marks the compact form; the full form has no such member.
    public var compact: Int
    public var runID: UUID
    public var policy: String
    public var policyVersion: Int
    public var site: SiteParameters
    public var verdict: Verdict
    public var score: Int?
    public var mos: Double?
    public var capacity: Capacity
    public var transport: Transport?
    /// Codes of the findings that are not `pass`, in rule order: a replayed upload is answered
    /// from these without the policy.
    public var findingCodes: [String]
    public var findings: [CompactFinding]

    public static let formVersion = 1

    enum CodingKeys: String, CodingKey {
        case compact, policy, site, verdict, score, mos, capacity, transport, findings
        case runID = "run_id"
        case policyVersion = "policy_version"
        case findingCodes = "finding_codes"
    }

    public init(_ evaluation: ResultEvaluation) {
        compact = Self.formVersion
        runID = evaluation.runID
        policy = evaluation.policy
        policyVersion = evaluation.policyVersion
        site = evaluation.site
        verdict = evaluation.verdict
        score = evaluation.score
        mos = evaluation.mos
        capacity = evaluation.capacity
        transport = evaluation.transport
        // One pass, each array allocated once (this runs for every stored result).
        var codes: [String] = []
        var compact: [CompactFinding] = []
        codes.reserveCapacity(evaluation.findings.count)
        compact.reserveCapacity(evaluation.findings.count)
        for finding in evaluation.findings {
            if finding.status != .pass { codes.append(finding.code) }
            compact.append(CompactFinding(finding))
        }
        findingCodes = codes
        findings = compact
    }

    /// The stored bytes: keys in byte order, as every stored document is written.
    public func jsonBytes() throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        try JSONWriter.document(capacity: 2048) { json in
            json.beginObject()
            json.key("capacity")
            capacity.write(to: json)
            json.member("compact", compact)
            json.key("finding_codes")
            json.beginArray()
            for code in findingCodes { json.string(code) }
            json.endArray()
            json.key("findings")
            json.beginArray()
            for finding in findings { finding.write(to: json) }
            json.endArray()
            json.memberIfPresent("mos", mos)
            json.member("policy", policy)
            json.member("policy_version", policyVersion)
            json.member("run_id", runID)
            json.memberIfPresent("score", score)
            json.key("site")
            site.write(to: json)
            json.memberIfPresent("transport", transport?.rawValue)
            json.member("verdict", verdict.rawValue)
            json.endObject()
        }
    }

    /// Decodes stored bytes (read paths only: a result read back, a replay).
    public static func decode(_ bytes: [UInt8]) throws -> CompactEvaluation {
        let decoded = try JSONDecoder().decode(CompactEvaluation.self, from: Data(bytes))
        guard decoded.compact == formVersion else {
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.compact], debugDescription: "unknown compact form"))
        }
        return decoded
    }
}

extension Policy {
    /// The full evaluation a compact one stands for; `self` must be the policy version it names.
    public func evaluation(_ compact: CompactEvaluation) throws(CompactFormError) -> ResultEvaluation {
        try requireSame(name: compact.policy, version: compact.policyVersion)
        return ResultEvaluation(
            runID: compact.runID, policy: compact.policy, policyVersion: compact.policyVersion, site: compact.site,
            verdict: compact.verdict, score: compact.score, findings: try findings(compact.findings, site: compact.site),
            mos: compact.mos, capacity: compact.capacity, transport: compact.transport)
    }
}
