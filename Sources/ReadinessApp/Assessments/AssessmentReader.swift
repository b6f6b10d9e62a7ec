import Foundation
import Postgres
import ReadinessScoring

/// Reads a site's current assessment for ``AssessmentCache`` in one round trip: the site joined
/// with its stored assessment, a prepared statement, and the document only when its ETag differs
/// from the one already cached (revalidating an unchanged entry moves a few bytes, decodes nothing).
struct AssessmentReader: Sendable {
    let database: PostgresPool
    let policies: PolicyCatalog
    let clock: @Sendable () -> Date

    /// `sites` columns qualified, because `site_assessments` repeats some of their names.
    private static let siteColumns = SiteRecord.columns.split(separator: ",")
        .map { "s." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    /// nil when the site does not exist; `previous` when its stored assessment did not change.
    func load(site: UUID, previous: CurrentAssessment?) async throws -> CurrentAssessment? {
        let query: PostgresQuery = """
            SELECT \(unsafeRaw: Self.siteColumns), a.etag,
                CASE WHEN a.etag IS DISTINCT FROM \(previous?.storedETag) THEN a.assessment END AS assessment
            FROM sites s LEFT JOIN site_assessments a ON a.site_id = s.id
            WHERE s.id = \(site)
            """
        let rows = try await database.query(query.prepared(as: "assessment_read_current"), idempotent: true)
        guard let row = rows.first else { return nil }
        guard let etag = try row.decode(String?.self, column: "etag") else {
            return try await empty(site: SiteRecord(row: row), previous: previous)
        }
        guard let stored = try row.decode(PostgresText?.self, column: "assessment") else {
            // NULL only when the tag matched what we hold.
            guard let previous else { throw StoreError.assessmentNotRead }
            return previous
        }
        return try CurrentAssessment(site: site, stored: try await expanded(stored.bytes), storedETag: etag)
    }

    /// The site's stored assessment as the domain value, without the API documents ``load``
    /// encodes (a webhook payload reads a few of its fields: encoding both documents and
    /// decoding one back was half of a delivery's CPU). nil when none is stored.
    func storedAssessment(site: UUID) async throws -> SiteAssessment? {
        let rows = try await database.query(
            "SELECT assessment FROM site_assessments WHERE site_id = \(site)", idempotent: true)
        guard let stored = try rows.first?.decode(PostgresText?.self, column: "assessment") else { return nil }
        return try await expanded(stored.bytes)
    }

    /// The stored document as the domain assessment: the compact form joined back with the
    /// policy version it names (cached, compiled once), or a full one stored before that form.
    func expanded(_ bytes: [UInt8]) async throws -> SiteAssessment {
        switch try StoredAssessmentForm(stored: bytes) {
        case .full(let assessment):
            return assessment
        case .compact(let compact):
            guard let policy = try await policies.policy(name: compact.policy, version: compact.policyVersion) else {
                throw StoreError.policyVersionMissing(of: .assessment)
            }
            return try policy.siteAssessment(compact)
        }
    }

    /// A site that never sent a result: an empty assessment under its policy. Its tag names the
    /// policy version and the site's last change; while that holds, the bytes already built stay.
    private func empty(site: SiteRecord, previous: CurrentAssessment?) async throws -> CurrentAssessment {
        guard let policy = try await policies.policy(name: site.policyName, version: site.policyVersion) else {
            throw StoreError.sitePolicyMissing
        }
        let tag = "empty-\(policy.name)-\(policy.version)-\(Int(site.updatedAt.timeIntervalSince1970))"
        if let previous, previous.storedETag == nil, previous.fresh.etag == "\"\(tag)\"" { return previous }
        let empty = policy.assess([], site: site.parameters, now: clock())
        return try CurrentAssessment(site: site.id, empty: empty, tag: tag)
    }
}
