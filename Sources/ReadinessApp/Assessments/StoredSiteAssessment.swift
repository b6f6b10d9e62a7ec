import JSON
import Foundation
import Postgres
import ReadinessScoring
import SystemCrypto

/// A row of `site_assessments`: the domain assessment stored as text in its compact form
/// (`CompactSiteAssessment`: no jsonb parse, no key sort, no compression on each rewrite) plus
/// the columns the fleet views filter on and show, and a strong ETag derived from the stored bytes.
package struct StoredSiteAssessment: Sendable {
    package let siteID: UUID
    let assessment: SiteAssessment
    /// The stored text: the compact form's JSON.
    let assessmentJSON: [UInt8]
    package let etag: String
    let newestResultAt: Date?
    let updatedAt: Date

    init(siteID: UUID, assessment: SiteAssessment, updatedAt: Date) throws {
        try self.init(siteID: siteID, assessment: assessment, compactJSON: CompactSiteAssessment.jsonBytes(of: assessment),
                      updatedAt: updatedAt)
    }

    /// `compactJSON` must be `CompactSiteAssessment.jsonBytes(of: assessment)`, as a
    /// `SiteWindow` writes it (`assessCompact`).
    package init(siteID: UUID, assessment: SiteAssessment, compactJSON: [UInt8], updatedAt: Date) {
        self.siteID = siteID
        self.assessment = assessment
        assessmentJSON = compactJSON
        // Equal bytes, equal tag: 80 bits of SHA-256 is plenty to tell versions of one site apart.
        etag = Self.hex(Digest.sha256(assessmentJSON).prefix(10))
        newestResultAt = assessment.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }
        self.updatedAt = updatedAt
    }

    private init(row: PostgresRow, siteID: UUID, assessment: SiteAssessment) throws {
        self.siteID = siteID
        self.assessment = assessment
        assessmentJSON = try row.decode(PostgresText.self, column: "assessment").bytes
        etag = try row.decode(String.self, column: "etag")
        newestResultAt = try row.decode(Date?.self, column: "newest_result_at")
        updatedAt = try row.decode(Date.self, column: "updated_at")
    }

    /// Lower-case hex (`String(format: "%02x")` per byte costs more than the hash on Linux).
    /// Package access: the domain benchmark makes etags as the store does.
    package static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The site's stored assessment, joined back with its policy version: `policy` when it is
    /// that version (the writer's usual case), else the version read in this transaction.
    static func load(site: UUID, policy: Policy, on tx: PostgresConnection) throws -> StoredSiteAssessment? {
        let rows = try tx.query(
            PostgresQuery("""
            SELECT assessment, etag, newest_result_at, updated_at, policy_name, policy_version
            FROM site_assessments WHERE site_id = \(site)
            """).prepared(as: "assessment_load_stored"))
        guard let row = rows.first else { return nil }
        let name = try row.decode(String.self, column: "policy_name")
        let version = try row.decode(Int.self, column: "policy_version")
        let assessedUnder = name == policy.name && version == policy.version
            ? policy : try PolicyCatalog.policy(name: name, version: version, on: tx)
        let bytes = try row.decode(PostgresText.self, column: "assessment").bytes
        return try StoredSiteAssessment(row: row, siteID: site, assessment: assessedUnder.storedSiteAssessment(bytes))
    }

    /// Warn and fail only: the fleet view filters sites by the problems they have.
    var findingCodes: [String] { assessment.problemCodes }

    /// What the fleet views show: the combined MOS, the transport.
    var mos: Double? { assessment.mos?.value }
    var transport: String? { assessment.transport?.rawValue }

    func save(on tx: PostgresConnection) throws {
        let codes = findingCodes
        try tx.execute(
            PostgresQuery("""
            INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes,
                newest_result_at, assessment, etag, updated_at, mos, transport)
            VALUES (\(siteID), \(assessment.policy), \(assessment.policyVersion), \(assessment.verdict.rawValue),
                \(assessment.score), \(codes), \(newestResultAt), \(PostgresText(bytes: assessmentJSON)), \(etag), \(updatedAt),
                \(mos), \(transport))
            ON CONFLICT (site_id) DO UPDATE SET policy_name = EXCLUDED.policy_name,
                policy_version = EXCLUDED.policy_version, verdict = EXCLUDED.verdict, score = EXCLUDED.score,
                finding_codes = EXCLUDED.finding_codes, newest_result_at = EXCLUDED.newest_result_at,
                assessment = EXCLUDED.assessment, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at,
                mos = EXCLUDED.mos, transport = EXCLUDED.transport, summary_from = NULL
            """).prepared(as: "assessment_save_stored"))
    }
}
