import JSON
import Foundation
import Postgres
import ReadinessScoring

/// A stored result with its assessment, as `GET /v1/results/{run_id}` returns it (`StoredResult`
/// in the draft). The body is spliced in as PostgreSQL returns it, without a decode/encode trip:
/// the canonical JSON as uploaded (json, since migration 0009), or jsonb's rendering of it for
/// older rows;
/// the evaluation is the stored compact one joined back with its policy version's texts (or,
/// for a result stored before compact evaluations, the full document as it was stored).
struct StoredResult: Sendable {
    let runID: UUID
    let siteID: UUID
    let agentID: UUID?
    let receivedAt: Date
    let body: [UInt8]
    let assessment: [UInt8]

    static func load(_ runID: UUID, from database: PostgresPool, policies: PolicyCatalog) async throws -> StoredResult? {
        let rows = try await database.query(
            """
            SELECT rr.site_id, rr.agent_id, rr.received_at, r.body, r.evaluation, r.assessment FROM result_runs rr
            JOIN results r ON r.site_id = rr.site_id AND r.started_at = rr.started_at AND r.run_id = rr.run_id
            WHERE rr.run_id = \(runID)
            """, idempotent: true)
        guard let row = rows.first else { return nil }
        let assessment: [UInt8]
        if let stored = try row.decode(PostgresText?.self, column: "evaluation") {
            assessment = try await expanded(try CompactEvaluation.decode(stored.bytes), policies: policies)
        } else {
            assessment = try row.decode(PostgresJSONB.self, column: "assessment").bytes
        }
        return StoredResult(
            runID: runID, siteID: try row.decode(UUID.self, column: "site_id"),
            agentID: try row.decode(UUID?.self, column: "agent_id"),
            receivedAt: try row.decode(Date.self, column: "received_at"),
            body: try row.decode(PostgresJSON.self, column: "body").bytes,
            assessment: assessment)
    }

    /// The full evaluation JSON: the compact form joined with the policy version it names.
    /// Policy versions are never edited or deleted, so the texts are the ones it was scored with.
    static func expanded(_ compact: CompactEvaluation, policies: PolicyCatalog) async throws -> [UInt8] {
        guard let policy = try await policies.policy(name: compact.policy, version: compact.policyVersion) else {
            throw StoreError.policyVersionMissing(of: .result)
        }
        return try policy.evaluation(compact).jsonBytes()
    }

    func json() -> [UInt8] {
        func quoted(_ id: UUID?) -> String { id.map { "\"\($0.uuidString.lowercased())\"" } ?? "null" }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + assessment.count + 200)
        out += Array(#"{"agent_id":\#(quoted(agentID)),"assessment":"#.utf8)
        out += assessment
        out += Array(#","received_at":"\#(RFC3339Timestamp.format(receivedAt))","result":"#.utf8)
        out += body
        out += Array(#","run_id":\#(quoted(runID)),"site_id":\#(quoted(siteID))}"#.utf8)
        return out
    }
}
