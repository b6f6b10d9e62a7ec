import JSON
import Foundation

/// A site's current assessment as `site_assessments.assessment` stores it: every member of
/// `SiteAssessment`, each finding as its `CompactFinding`. Some 2 KB instead of 10 KB for the
/// default policy, rewritten on every commit group that brings the site a result; it then fits
/// in its row without compression or TOAST. `Policy.siteAssessment(_:)` gives the full one back.
public struct CompactSiteAssessment: Codable, Sendable, Equatable {
    /// Marks the compact form; the full form (rows written before it) has no such member.
    public var compact: Int
    public var policy: String
    public var policyVersion: Int
    public var site: SiteParameters
    public var assessedAt: String
    public var windowS: Double
    public var verdict: Verdict
    public var lastVerdict: Verdict?
    public var score: Int?
    public var findings: [CompactFinding]
    public var mos: Figure?
    public var capacity: Capacity
    public var transport: Transport?
    public var figures: Figures
    public var runs: Int
    public var agents: Int
    public var newestResultAt: String?
    public var oldestResultAt: String?

    enum CodingKeys: String, CodingKey {
        case compact, policy, site, verdict, score, findings, mos, capacity, transport, figures, runs, agents
        case policyVersion = "policy_version"
        case assessedAt = "assessed_at"
        case windowS = "window_s"
        case lastVerdict = "last_verdict"
        case newestResultAt = "newest_result_at"
        case oldestResultAt = "oldest_result_at"
    }

    public init(_ assessment: SiteAssessment) {
        compact = CompactEvaluation.formVersion
        policy = assessment.policy
        policyVersion = assessment.policyVersion
        site = assessment.site
        assessedAt = assessment.assessedAt
        windowS = assessment.windowS
        verdict = assessment.verdict
        lastVerdict = assessment.lastVerdict
        score = assessment.score
        findings = assessment.findings.map(CompactFinding.init)
        mos = assessment.mos
        capacity = assessment.capacity
        transport = assessment.transport
        figures = assessment.figures
        runs = assessment.runs
        agents = assessment.agents
        newestResultAt = assessment.newestResultAt
        oldestResultAt = assessment.oldestResultAt
    }

    /// The stored bytes (whose SHA-256 is the ETag): keys in byte order.
    public func jsonBytes() throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        let json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.member("agents", agents)
        json.member("assessed_at", assessedAt)
        json.key("capacity")
        capacity.write(to: json)
        json.member("compact", compact)
        Self.writeFigures(figures, to: json)
        json.key("findings")
        json.beginArray()
        for finding in findings { finding.write(to: json) }
        json.endArray()
        Self.writeTail(of: self, to: json)
        return try json.finished()
    }

    /// `CompactSiteAssessment(assessment).jsonBytes()`, byte for byte, written straight from
    /// the assessment: a commit lane writes one per site per group, and building the compact
    /// value first copied every finding (and its strings) into a second array to write it once.
    public static func jsonBytes(of assessment: SiteAssessment) throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        try jsonBytes(of: assessment, findingTails: [])
    }

    /// With `findingTails` (`CompactFinding.tail(of:)` of each finding, in order; or empty),
    /// each finding's members but its confidence are copied rather than written again.
    static func jsonBytes(of assessment: SiteAssessment, findingTails: [[UInt8]]) throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        let json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.member("agents", assessment.agents)
        json.member("assessed_at", assessment.assessedAt)
        json.key("capacity")
        assessment.capacity.write(to: json)
        json.member("compact", CompactEvaluation.formVersion)
        writeFigures(assessment.figures, to: json)
        json.key("findings")
        json.beginArray()
        if findingTails.count == assessment.findings.count {
            for index in assessment.findings.indices {
                CompactFinding.write(confidence: assessment.findings[index].confidence, tail: findingTails[index], to: json)
            }
        } else {
            writeFindings(of: assessment, to: json)
        }
        json.endArray()
        writeTail(of: assessment, to: json)
        return try json.finished()
    }

    private static func writeFindings(of assessment: SiteAssessment, to json: JSONWriter) {
        // Member by member: passing a finding would copy it (a dozen references) out of the array.
        for index in assessment.findings.indices {
            CompactFinding.write(
                tiers: assessment.findings[index].tiers, confidence: assessment.findings[index].confidence,
                hosts: assessment.findings[index].hosts, observed: assessment.findings[index].observed, ruleID: assessment.findings[index].ruleID, to: json)
        }
    }

    private static func writeFigures(_ figures: Figures, to json: JSONWriter) {
        json.key("figures")
        json.beginObject()
        figures.downKbps?.write("down_kbps", to: json)
        figures.jitterMs?.write("jitter_ms", to: json)
        figures.lossPct?.write("loss_pct", to: json)
        figures.rttMs?.write("rtt_ms", to: json)
        figures.upKbps?.write("up_kbps", to: json)
        json.endObject()
    }

    /// The members after `findings`, which both forms spell alike.
    private static func writeTail(of document: some CompactTail, to json: JSONWriter) {
        json.memberIfPresent("last_verdict", document.lastVerdict?.rawValue)
        document.mos?.write("mos", to: json)
        json.memberIfPresent("newest_result_at", document.newestResultAt)
        json.memberIfPresent("oldest_result_at", document.oldestResultAt)
        json.member("policy", document.policy)
        json.member("policy_version", document.policyVersion)
        json.member("runs", document.runs)
        json.memberIfPresent("score", document.score)
        json.key("site")
        document.site.write(to: json)
        json.memberIfPresent("transport", document.transport?.rawValue)
        json.member("verdict", document.verdict.rawValue)
        json.member("window_s", document.windowS)
        json.endObject()
    }
}

extension Policy {
    /// The full site assessment a compact one stands for; `self` must be the policy version it names.
    public func siteAssessment(_ compact: CompactSiteAssessment) throws(CompactFormError) -> SiteAssessment {
        try requireSame(name: compact.policy, version: compact.policyVersion)
        return SiteAssessment(
            policy: compact.policy, policyVersion: compact.policyVersion, site: compact.site,
            assessedAt: compact.assessedAt, windowS: compact.windowS, verdict: compact.verdict,
            lastVerdict: compact.lastVerdict, score: compact.score, findings: try findings(compact.findings, site: compact.site),
            mos: compact.mos, capacity: compact.capacity, transport: compact.transport, figures: compact.figures,
            runs: compact.runs, agents: compact.agents, newestResultAt: compact.newestResultAt,
            oldestResultAt: compact.oldestResultAt)
    }

    /// A stored site assessment in either form: the full form (written before compact storage)
    /// decodes as it is; the compact form is expanded with this policy, which must be the
    /// version it names (`StoredAssessmentForm` reads which one that is).
    public func storedSiteAssessment(_ bytes: [UInt8]) throws -> SiteAssessment {
        switch try StoredAssessmentForm(stored: bytes) {
        case .full(let assessment): assessment
        case .compact(let compact): try siteAssessment(compact)
        }
    }
}

/// The members a compact document shares with the full assessment it is written from.
protocol CompactTail {
    var lastVerdict: Verdict? { get }
    var mos: Figure? { get }
    var newestResultAt: String? { get }
    var oldestResultAt: String? { get }
    var policy: String { get }
    var policyVersion: Int { get }
    var runs: Int { get }
    var score: Int? { get }
    var site: SiteParameters { get }
    var transport: Transport? { get }
    var verdict: Verdict { get }
    var windowS: Double { get }
}

extension CompactSiteAssessment: CompactTail {}
extension SiteAssessment: CompactTail {}
