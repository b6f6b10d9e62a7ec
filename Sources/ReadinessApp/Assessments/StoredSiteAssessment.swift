import Foundation
import Postgres
import ReadinessDomain

/// A row of `site_assessments`: the domain assessment as JSONB plus the columns the fleet
/// view filters on, and a strong ETag derived from the stored bytes.
struct StoredSiteAssessment: Sendable {
    let siteID: UUID
    let assessment: SiteAssessment
    let assessmentJSON: [UInt8]
    let etag: String
    let newestResultAt: Date?
    let updatedAt: Date

    init(siteID: UUID, assessment: SiteAssessment, updatedAt: Date) throws {
        self.siteID = siteID
        self.assessment = assessment
        assessmentJSON = try assessment.jsonBytes()
        // Equal bytes, equal tag: 80 bits of SHA-256 is plenty to tell versions of one site apart.
        etag = Self.hex(PreparedResult.sha256(assessmentJSON).prefix(10))
        newestResultAt = assessment.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }
        self.updatedAt = updatedAt
    }

    private init(row: PostgresRow, siteID: UUID) throws {
        self.siteID = siteID
        let json = try row.decode(PostgresJSONB.self, column: "assessment")
        assessmentJSON = json.bytes
        assessment = try APIJSON.decoder.decode(SiteAssessment.self, from: json.data)
        etag = try row.decode(String.self, column: "etag")
        newestResultAt = try row.decode(Date?.self, column: "newest_result_at")
        updatedAt = try row.decode(Date.self, column: "updated_at")
    }

    /// Lower-case hex (`String(format: "%02x")` per byte costs more than the hash on Linux).
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func load(site: UUID, on tx: PostgresConnection) throws -> StoredSiteAssessment? {
        let rows = try tx.query(
            PostgresQuery("SELECT assessment, etag, newest_result_at, updated_at FROM site_assessments WHERE site_id = \(site)")
                .prepared(as: "assessment_load_current"))
        return try rows.first.map { try StoredSiteAssessment(row: $0, siteID: site) }
    }

    /// Warn and fail only: the fleet view filters sites by the problems they have.
    var findingCodes: [String] { assessment.findings.filter { $0.status == .warn || $0.status == .fail }.map(\.code) }

    func save(on tx: PostgresConnection) throws {
        let codes = findingCodes
        try tx.execute(
            PostgresQuery("""
            INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes,
                newest_result_at, assessment, etag, updated_at)
            VALUES (\(siteID), \(assessment.policy), \(assessment.policyVersion), \(assessment.verdict.rawValue),
                \(assessment.score), \(codes), \(newestResultAt), \(PostgresJSONB(bytes: assessmentJSON)), \(etag), \(updatedAt))
            ON CONFLICT (site_id) DO UPDATE SET policy_name = EXCLUDED.policy_name,
                policy_version = EXCLUDED.policy_version, verdict = EXCLUDED.verdict, score = EXCLUDED.score,
                finding_codes = EXCLUDED.finding_codes, newest_result_at = EXCLUDED.newest_result_at,
                assessment = EXCLUDED.assessment, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at
            """).prepared(as: "assessment_save_current"))
    }
}
