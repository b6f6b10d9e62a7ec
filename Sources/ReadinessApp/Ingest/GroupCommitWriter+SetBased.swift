import Foundation
import Postgres

extension GroupCommitWriter {
    /// Why the set-based attempt stepped aside; never leaves `writeGroup`'s fallback.
    enum SetBasedRefusal: Error {
        case siteNotWritable
    }

    /// A set-based group's work decided before its transaction: each site's refresh and the
    /// ETag it was computed against.
    struct SetBasedPlan {
        let etags: [UUID: String?]
        let refreshes: [UUID: SiteRefresh]
    }

    /// Outside any transaction: nil when a run id of the group was claimed before (a replay or
    /// a conflict, for the savepoint fallback), else every site's refresh. A replay thus never
    /// takes a remembered window out, and the new uploads beside it still find theirs.
    static func plan(
        _ uploads: [PreparedUpload], _ rows: SetBasedRows, windows: SiteWindowCache, on connection: PostgresConnection
    ) throws -> SetBasedPlan? {
        let answers = try connection.pipeline([
            PostgresQuery("SELECT 1 FROM result_runs WHERE run_id = ANY(\(rows.runID)) LIMIT 1").prepared(as: "ingest_group_claimed_before"),
            PostgresQuery("SELECT site_id, etag FROM site_assessments WHERE site_id = ANY(\(PostgresArray(rows.siteIDs)))")
                .prepared(as: "ingest_group_current_etags"),
        ])
        guard answers[0].isEmpty else { return nil }
        let etags = try etagsBySite(rows.siteIDs, answers[1])
        let bySite = Dictionary(grouping: uploads, by: \.siteID)
        var refreshes: [UUID: SiteRefresh] = [:]
        for siteID in rows.siteIDs {
            refreshes[siteID] = try SiteAssessmentUpdater.refresh(
                site: siteID, uploads: bySite[siteID] ?? [], currentETag: etags[siteID] ?? nil, windows: windows, on: connection)
        }
        return SetBasedPlan(etags: etags, refreshes: refreshes)
    }

    private static func etagsBySite(_ ids: [UUID], _ rows: PostgresRows) throws -> [UUID: String?] {
        var etags: [UUID: String?] = Dictionary(uniqueKeysWithValues: ids.map { ($0, nil) })
        for row in rows { etags[try row.decode(UUID.self, column: "site_id")] = try row.decode(String.self, column: "etag") }
        return etags
    }

    /// Locks the sites and writes the planned refreshes in one statement; a site whose stored
    /// assessment changed since the plan is assessed again here, under its lock.
    static func writeSetBased(
        _ uploads: [PreparedUpload], _ rows: SetBasedRows, _ plan: SetBasedPlan, windows: SiteWindowCache, on tx: PostgresConnection
    ) throws -> GroupResult {
        let sites = try lockSites(rows.siteIDs, on: tx)
        try chargeResultBudgets(uploads, on: tx)
        let bySite = Dictionary(grouping: uploads, by: \.siteID)
        let refreshes = try rows.siteIDs.map { siteID in
            let current = sites[siteID] ?? nil
            if let planned = plan.refreshes[siteID], (plan.etags[siteID] ?? nil) == current { return planned }
            return try SiteAssessmentUpdater.refresh(
                site: siteID, uploads: bySite[siteID] ?? [], currentETag: current, windows: windows, on: tx)
        }
        try tx.commit(after: [groupWriteStatement(rows, refreshes)])
        let replies: [Reply] = uploads.map { upload in
            .success(upload.results.map {
                UploadOutcome(runID: $0.result.runID, siteID: upload.siteID, status: .created,
                              assessment: AssessmentSummary($0.evaluation))
            })
        }
        return GroupResult(replies: replies, windows: refreshes.map(\.entry), refreshes: refreshes)
    }

    /// The group's one write statement: its results' rows and its sites' refreshes as array
    /// parameters (`SetBasedRows`, `SiteRefresh` columns).
    package static func groupWriteStatement(_ rows: SetBasedRows, _ refreshes: [SiteRefresh]) -> PostgresQuery {
        let assessments = SiteRefresh.AssessmentColumns(refreshes)
        let changes = SiteRefresh.ChangeColumns(refreshes)
        let buckets = SiteRefresh.BucketColumns(refreshes)
        // Data-modifying CTEs all run, referenced or not, in one statement. A run_id stored
        // before makes the claim fail (unique violation), and with it the statement and the
        // COMMIT sent behind it. result_runs takes its few columns from arrays of its own, so
        // the bodies are neither joined nor materialized. Changes are inserted in array order,
        // so their ids follow it.
        return PostgresQuery("""
            WITH claimed AS (
                INSERT INTO result_runs (run_id, site_id, agent_id, content_hash, started_at, received_at)
                SELECT * FROM unnest(\(rows.runID), \(rows.siteID), \(rows.agentID), \(rows.contentHash), \(rows.startedAt),
                    \(rows.receivedAt))
            ), stored AS (
                INSERT INTO results (run_id, site_id, agent_id, started_at, finished_at, received_at, body,
                    policy_name, policy_version, verdict, score, mos, transport,
                    rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, evaluation, window_entry)
                SELECT * FROM unnest(\(rows.runID), \(rows.siteID), \(rows.agentID), \(rows.startedAt), \(rows.finishedAt),
                    \(rows.receivedAt), \(rows.body), \(rows.policyName), \(rows.policyVersion), \(rows.verdict), \(rows.score),
                    \(rows.mos), \(rows.transport), \(rows.rttMs), \(rows.jitterMs), \(rows.lossPct), \(rows.downKbps),
                    \(rows.upKbps), \(rows.evaluation), \(rows.windowEntry))
            ), touched AS (
                UPDATE agents AS a SET last_seen_at = v.at
                FROM unnest(\(rows.agents), \(rows.agentsSeenAt)) AS v(id, at) WHERE a.id = v.id
            ), assessed AS (
                INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes,
                    newest_result_at, assessment, etag, updated_at, mos, transport, summary_from)
                SELECT site_id, policy_name, policy_version, verdict, score, finding_codes::text[],
                    newest_result_at, assessment, etag, updated_at, mos, transport, summary_from
                FROM unnest(\(assessments.siteID), \(assessments.policyName), \(assessments.policyVersion),
                    \(assessments.verdict), \(assessments.score), \(assessments.findingCodes), \(assessments.newestResultAt),
                    \(assessments.assessment), \(assessments.etag), \(assessments.updatedAt), \(assessments.mos),
                    \(assessments.transport), \(assessments.summaryFrom))
                    AS s(site_id, policy_name, policy_version, verdict, score, finding_codes, newest_result_at,
                         assessment, etag, updated_at, mos, transport, summary_from)
                ON CONFLICT (site_id) DO UPDATE SET policy_name = EXCLUDED.policy_name,
                    policy_version = EXCLUDED.policy_version, verdict = EXCLUDED.verdict, score = EXCLUDED.score,
                    finding_codes = EXCLUDED.finding_codes, newest_result_at = EXCLUDED.newest_result_at,
                    assessment = EXCLUDED.assessment, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at,
                    mos = EXCLUDED.mos, transport = EXCLUDED.transport, summary_from = EXCLUDED.summary_from
            ), bucketed AS (
                INSERT INTO site_window_buckets (site_id, bucket, policy_name, policy_version, summary)
                SELECT * FROM unnest(\(buckets.siteID), \(buckets.bucket), \(buckets.policyName),
                    \(buckets.policyVersion), \(buckets.summary))
                ON CONFLICT (site_id, bucket) DO UPDATE SET policy_name = EXCLUDED.policy_name,
                    policy_version = EXCLUDED.policy_version, summary = EXCLUDED.summary
            ), unbucketed AS (
                DELETE FROM site_window_buckets AS b USING unnest(\(buckets.keptSite), \(buckets.keptFrom)) AS k(site_id, bucket)
                WHERE b.site_id = k.site_id AND b.bucket < k.bucket
            ), changed AS (
                INSERT INTO site_changes (site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict,
                    from_status, to_status, from_score, to_score)
                SELECT site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status,
                    from_score, to_score
                FROM unnest(\(changes.siteID), \(changes.at), \(changes.runID), \(changes.kind), \(changes.code),
                    \(changes.ruleID), \(changes.fromVerdict), \(changes.toVerdict), \(changes.fromStatus),
                    \(changes.toStatus), \(changes.fromScore), \(changes.toScore)) WITH ORDINALITY
                    AS c(site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status,
                         from_score, to_score, n)
                ORDER BY n
            )
            SELECT 1
            """).prepared(as: "ingest_group_write")
    }

    /// Locks the group's sites in id order (the savepoint fallback's order too, so two groups in
    /// flight cannot deadlock on them), then reads each site's stored assessment ETag, which
    /// tells whether the remembered window is still the database's; both in one pipeline. The
    /// ETags are read by a second statement on purpose: under READ COMMITTED a statement that
    /// waited for a row lock re-reads only the locked row, so an ETag joined into the locking
    /// statement could predate the commit it waited for; the next statement's snapshot (taken
    /// when it starts, after the lock) includes that commit.
    private static func lockSites(_ ids: [UUID], on tx: PostgresConnection) throws -> [UUID: String?] {
        let answers = try tx.pipeline([
            PostgresQuery("""
            SELECT id, archived_at IS NOT NULL AS archived FROM sites
            WHERE id = ANY(\(PostgresArray(ids))) ORDER BY id FOR NO KEY UPDATE
            """).prepared(as: "ingest_group_lock_sites"),
            PostgresQuery("SELECT site_id, etag FROM site_assessments WHERE site_id = ANY(\(PostgresArray(ids)))")
                .prepared(as: "ingest_group_current_etags"),
        ])
        let locked = answers[0]
        guard locked.count == ids.count else { throw SetBasedRefusal.siteNotWritable }
        for row in locked where try row.decode(Bool.self, column: "archived") { throw SetBasedRefusal.siteNotWritable }
        return try etagsBySite(ids, answers[1])
    }
}
