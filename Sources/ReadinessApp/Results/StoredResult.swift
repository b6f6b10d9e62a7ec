import Foundation
import Postgres
import ReadinessDomain

/// A stored result with its assessment, as `GET /v1/results/{run_id}` returns it (`StoredResult`
/// in the draft). The JSONB columns are spliced in as they are, without a decode/encode trip.
struct StoredResult: Sendable {
    let runID: UUID
    let siteID: UUID
    let agentID: UUID?
    let receivedAt: Date
    let body: [UInt8]
    let assessment: [UInt8]

    static func load(_ runID: UUID, from database: PostgresPool) async throws -> StoredResult? {
        let rows = try await database.query(
            """
            SELECT rr.site_id, rr.agent_id, rr.received_at, r.body, r.assessment FROM result_runs rr
            JOIN results r ON r.site_id = rr.site_id AND r.started_at = rr.started_at AND r.run_id = rr.run_id
            WHERE rr.run_id = \(runID)
            """, idempotent: true)
        guard let row = rows.first else { return nil }
        return StoredResult(
            runID: runID, siteID: try row.decode(UUID.self, column: "site_id"),
            agentID: try row.decode(UUID?.self, column: "agent_id"),
            receivedAt: try row.decode(Date.self, column: "received_at"),
            body: try row.decode(PostgresJSONB.self, column: "body").bytes,
            assessment: try row.decode(PostgresJSONB.self, column: "assessment").bytes)
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
