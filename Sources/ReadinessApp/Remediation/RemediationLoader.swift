import Foundation
import Postgres
import ReadinessScoring

/// Reads what a change request is derived from, for one site or a page of them, in one round
/// trip: each site with its stored assessment and the policy version that scored it. A site
/// with no stored assessment is assessed empty under the policy it follows, so every rule of
/// that policy is left to verify.
struct RemediationLoader: Sendable {
    let database: PostgresPool
    let policies: PolicyCatalog
    let clock: @Sendable () -> Date

    /// The sites' requests in the order of `ids`; ids of sites that do not exist are skipped.
    func load(_ ids: [UUID]) async throws -> [SiteRemediation] {
        guard !ids.isEmpty else { return [] }
        let texts = ids.map { $0.uuidString.lowercased() }
        let rows = try await database.query(
            """
            SELECT s.id::text AS id, s.name, s.expected_users, s.longest_call_s, s.policy_name, s.policy_version,
                   a.policy_name AS assessed_policy, a.policy_version AS assessed_version, a.assessment
            FROM sites s LEFT JOIN site_assessments a ON a.site_id = s.id
            WHERE s.id = ANY(\(texts)::uuid[])
            """, idempotent: true)
        var byID: [String: SiteRemediation] = [:]
        let now = clock()
        for row in rows {
            let id = try row.decode(String.self, column: "id")
            let (policy, assessment) = try await assessment(row, now: now)
            byID[id] = SiteRemediation(
                siteID: id, siteName: try row.decode(String.self, column: "name"),
                request: policy.changeRequest(for: assessment))
        }
        return texts.compactMap { byID[$0] }
    }

    /// The stored assessment as it reads now (stale once its window has passed), and its policy.
    private func assessment(_ row: PostgresRow, now: Date) async throws -> (Policy, SiteAssessment) {
        if let stored = try row.decode(PostgresText?.self, column: "assessment") {
            let name = try row.decode(String.self, column: "assessed_policy")
            let version = try row.decode(Int.self, column: "assessed_version")
            guard let policy = try await policies.policy(name: name, version: version) else {
                throw StoreError.policyVersionMissing(of: .assessment)
            }
            return (policy, try policy.storedSiteAssessment(stored.bytes).asOf(now))
        }
        let name = try row.decode(String.self, column: "policy_name")
        let version = try row.decode(Int?.self, column: "policy_version")
        guard let policy = try await policies.policy(name: name, version: version) else {
            throw StoreError.sitePolicyMissing
        }
        let parameters = SiteParameters(
            expectedConcurrentUsers: try row.decode(Int.self, column: "expected_users"),
            longestCallS: Double(try row.decode(Int.self, column: "longest_call_s")))
        return (policy, policy.assess([], site: parameters, now: now))
    }
}
