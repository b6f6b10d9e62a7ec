import Foundation
import Postgres

/// A commit group's rows for the set-based statements, or nil when the group needs the
/// per-upload path from the start: a run_id that repeats inside the group (one of the uploads
/// is then a replay of another, or a conflict with it) or a figure JSON cannot carry.
struct SetBasedRows {
    /// Distinct sites in id order: the order their rows are locked in.
    let siteIDs: [UUID]
    let results: PostgresJSONB
    let resultCount: Int
    /// (agent, newest receipt) pairs, or nil when no upload came from an agent.
    let agents: PostgresJSONB?

    init?(_ uploads: [PreparedUpload]) {
        var runIDs = Set<UUID>()
        var rows = RecordsetJSON(capacity: uploads.reduce(0) { $0 + $1.results.reduce(0) { $0 + $1.canonical.count + 1024 } })
        var lastSeen: [UUID: Date] = [:]
        for upload in uploads {
            for prepared in upload.results {
                guard runIDs.insert(prepared.result.runID).inserted else { return nil }
                do { try Self.append(prepared, of: upload, to: &rows) } catch { return nil }
            }
            if let agent = upload.agentID { lastSeen[agent] = max(lastSeen[agent] ?? upload.receivedAt, upload.receivedAt) }
        }
        siteIDs = Set(uploads.map(\.siteID)).sorted { $0.uuidString < $1.uuidString }
        resultCount = rows.rowCount
        results = rows.finish()
        if lastSeen.isEmpty {
            agents = nil
        } else {
            var touched = RecordsetJSON()
            for (agent, at) in lastSeen {
                touched.beginRow()
                touched.field("id", agent)
                touched.field("at", at)
                touched.endRow()
            }
            agents = touched.finish()
        }
    }

    private static func append(_ prepared: PreparedResult, of upload: PreparedUpload, to rows: inout RecordsetJSON) throws {
        let result = prepared.result
        let evaluation = prepared.evaluation
        let figures = ResultFigures(result)
        rows.beginRow()
        rows.field("run_id", result.runID)
        rows.field("site_id", upload.siteID)
        rows.field("agent_id", upload.agentID)
        rows.field("content_hash", Data(prepared.contentHash))
        rows.field("started_at", result.startedAt)
        rows.field("finished_at", result.finishedAt)
        rows.field("received_at", upload.receivedAt)
        rows.field("body", json: prepared.canonical)
        rows.field("policy_name", evaluation.policy)
        rows.field("policy_version", evaluation.policyVersion)
        rows.field("verdict", evaluation.verdict.rawValue)
        rows.field("score", evaluation.score)
        try rows.field("mos", evaluation.mos)
        rows.field("transport", evaluation.transport?.rawValue)
        try rows.field("rtt_ms", figures.rttMs)
        try rows.field("jitter_ms", figures.jitterMs)
        try rows.field("loss_pct", figures.lossPct)
        try rows.field("down_kbps", result.bandwidth?.downKbps)
        try rows.field("up_kbps", result.bandwidth?.upKbps)
        rows.field("assessment", json: prepared.evaluationJSON)
        rows.endRow()
    }
}

/// A `uuid[]` parameter (`{a,b,c}`, type `_uuid`): UUID text needs no quoting in an array literal.
struct UUIDArray: PostgresEncodable {
    let ids: [UUID]

    init(_ ids: [UUID]) { self.ids = ids }

    static var postgresType: PostgresDataType { PostgresDataType(rawValue: 2951) }
    func postgresText() -> String { "{" + ids.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}" }
}
