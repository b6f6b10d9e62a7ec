import Foundation
import Postgres
import ReadinessScoring

/// Writes one upload inside the caller's transaction (the group-commit writer's savepoint):
/// claims each run_id, stores the new results and touches the agent; the site's assessment is
/// refreshed by the group, once per site. Throws ``UploadRejection`` for the client's mistakes.
enum PostgresResultStore {
    /// The outcomes, and the results stored anew, whose site the caller refreshes (a commit
    /// group does so once per site, after every upload: `SiteAssessmentUpdater+Group`).
    static func store(_ upload: PreparedUpload, on tx: PostgresConnection) throws -> (outcomes: [UploadOutcome], fresh: [PreparedResult]) {
        try lockSite(upload.siteID, on: tx)
        var outcomes: [UploadOutcome] = []
        var conflicts: [(pointer: String, runID: UUID)] = []
        var fresh: [PreparedResult] = []
        var firstIndex: [UUID: Int] = [:]
        for prepared in upload.results {
            let runID = prepared.result.runID
            // The decoder let a run_id repeat in a batch only with equal content: answer as the first.
            if let first = firstIndex[runID] {
                outcomes.append(outcomes[first])
                continue
            }
            firstIndex[runID] = outcomes.count
            if try claim(prepared, upload, on: tx) {
                fresh.append(prepared)
                outcomes.append(UploadOutcome(runID: runID, siteID: upload.siteID, status: .created,
                                              assessment: AssessmentSummary(prepared.evaluation)))
            } else if let earlier = try replay(prepared, upload, on: tx) {
                outcomes.append(UploadOutcome(runID: runID, siteID: upload.siteID, status: .duplicate, assessment: earlier))
            } else {
                conflicts.append((prepared.pointerPrefix + "/run_id", runID))
            }
        }
        guard conflicts.isEmpty else { throw UploadRejection.conflicts(conflicts) }
        guard !fresh.isEmpty else { return (outcomes, []) }
        for prepared in fresh { try insertResult(prepared, upload, on: tx) }
        if let agentID = upload.agentID {
            try tx.execute(
                PostgresQuery("UPDATE agents SET last_seen_at = \(upload.receivedAt) WHERE id = \(agentID)").prepared(as: "ingest_touch_agent"))
        }
        return (outcomes, fresh)
    }

    /// Row lock on the site: concurrent uploads for one site (on any replica) recompute its
    /// current assessment one after another. NO KEY UPDATE still lets foreign-key checks pass.
    private static func lockSite(_ siteID: UUID, on tx: PostgresConnection) throws {
        let rows = try tx.query(
            PostgresQuery("SELECT archived_at FROM sites WHERE id = \(siteID) FOR NO KEY UPDATE").prepared(as: "ingest_lock_site"))
        guard let row = rows.first else { throw UploadRejection.siteMissing(siteID) }
        if !row.isNull(column: "archived_at") { throw UploadRejection.siteArchived(siteID) }
    }

    /// True when this upload is the first with the run_id. A concurrent transaction inserting the
    /// same run_id makes this wait for its outcome (unique index), so exactly one wins.
    private static func claim(_ prepared: PreparedResult, _ upload: PreparedUpload, on tx: PostgresConnection) throws -> Bool {
        let rows = try tx.query(
            PostgresQuery("""
            INSERT INTO result_runs (run_id, site_id, agent_id, content_hash, started_at, received_at)
            VALUES (\(prepared.result.runID), \(upload.siteID), \(upload.agentID), \(Data(prepared.contentHash)),
                    \(prepared.result.startedAt), \(upload.receivedAt))
            ON CONFLICT (run_id) DO NOTHING RETURNING run_id
            """).prepared(as: "ingest_claim_run"))
        return rows.count == 1
    }

    /// The first upload's summary when the run_id was stored before with the same content for
    /// the same site; nil means a conflict.
    private static func replay(_ prepared: PreparedResult, _ upload: PreparedUpload, on tx: PostgresConnection) throws -> AssessmentSummary? {
        let rows = try tx.query(
            PostgresQuery("""
            SELECT r.evaluation, r.assessment FROM result_runs rr
            JOIN results r ON r.site_id = rr.site_id AND r.started_at = rr.started_at AND r.run_id = rr.run_id
            WHERE rr.run_id = \(prepared.result.runID) AND rr.site_id = \(upload.siteID)
              AND rr.content_hash = \(Data(prepared.contentHash))
            """).prepared(as: "ingest_replay_run"))
        guard let row = rows.first else { return nil }
        // The compact evaluation carries the summary itself; rows stored before it, the full one.
        if let compact = try row.decode(PostgresText?.self, column: "evaluation") {
            return AssessmentSummary(try CompactEvaluation.decode(compact.bytes))
        }
        let stored = try row.decode(PostgresJSONB.self, column: "assessment")
        return AssessmentSummary(try APIJSON.decoder.decode(ResultEvaluation.self, from: stored.data))
    }

    private static func insertResult(_ prepared: PreparedResult, _ upload: PreparedUpload, on tx: PostgresConnection) throws {
        let result = prepared.result
        let evaluation = prepared.evaluation
        let figures = ResultFigures(result)
        try tx.execute(
            PostgresQuery("""
            INSERT INTO results (run_id, site_id, agent_id, started_at, finished_at, received_at, body,
                policy_name, policy_version, verdict, score, mos, transport,
                rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, evaluation, window_entry)
            VALUES (\(result.runID), \(upload.siteID), \(upload.agentID), \(result.startedAt), \(result.finishedAt),
                \(upload.receivedAt), \(PostgresJSON(bytes: prepared.canonical)),
                \(evaluation.policy), \(evaluation.policyVersion), \(evaluation.verdict.rawValue), \(evaluation.score),
                \(evaluation.mos), \(evaluation.transport?.rawValue),
                \(figures.rttMs), \(figures.jitterMs), \(figures.lossPct), \(result.bandwidth?.downKbps),
                \(result.bandwidth?.upKbps), \(PostgresText(bytes: prepared.storedEvaluation)), \(prepared.windowEntry))
            """).prepared(as: "ingest_insert_result"))
    }
}
