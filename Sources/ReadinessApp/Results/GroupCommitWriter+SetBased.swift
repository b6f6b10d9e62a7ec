import Foundation
import HTTPServer
import Postgres
import ReadinessDomain

extension GroupCommitWriter {
    /// What one group's transaction produced: a reply per upload, and the site windows to
    /// remember once (and only if) the transaction committed.
    struct GroupResult: Sendable {
        var replies: [Reply]
        var windows: [SiteWindowCache.Entry]
    }

    /// The common case first: every upload in the group is new, for a live site. Then the whole
    /// group is a handful of set-based statements (lock sites, claim run_ids and insert results,
    /// touch agents) plus one assessment rewrite per site. Anything else (a replay, a run_id
    /// conflict, an archived site, any failed statement) rolls the attempt back to a savepoint
    /// and the group is written upload by upload, each in its own savepoint, which gives every
    /// request its own answer.
    static func writeGroup(_ uploads: [PreparedUpload], windows: SiteWindowCache, on tx: PostgresConnection) throws -> GroupResult {
        guard let rows = SetBasedRows(uploads) else {
            return GroupResult(replies: try write(uploads, on: tx), windows: [])
        }
        try tx.execute("SAVEPOINT ingest_group")
        do {
            let computed = try writeSetBased(uploads, rows, windows: windows, on: tx)
            try tx.execute("RELEASE SAVEPOINT ingest_group")
            return computed
        } catch let error as PostgresError where error.isConnectionLost {
            throw error
        } catch {
            try tx.execute("ROLLBACK TO SAVEPOINT ingest_group")
            try tx.execute("RELEASE SAVEPOINT ingest_group")
            return GroupResult(replies: try write(uploads, on: tx), windows: [])
        }
    }

    /// Why the set-based attempt stepped aside; never leaves this file's fallback.
    enum SetBasedRefusal: Error {
        case siteNotWritable
        case runAlreadyClaimed
    }

    private static func writeSetBased(
        _ uploads: [PreparedUpload], _ rows: SetBasedRows, windows: SiteWindowCache, on tx: PostgresConnection
    ) throws -> GroupResult {
        let sites = try lockSites(rows.siteIDs, on: tx)
        let stored = try tx.query(
            PostgresQuery("""
            WITH incoming AS (
                SELECT * FROM jsonb_to_recordset(\(rows.results)) AS r(
                    run_id uuid, site_id uuid, agent_id uuid, content_hash bytea, started_at timestamptz,
                    finished_at timestamptz, received_at timestamptz, body jsonb, policy_name text,
                    policy_version integer, verdict text, score integer, mos double precision, transport text,
                    rtt_ms double precision, jitter_ms double precision, loss_pct double precision,
                    down_kbps double precision, up_kbps double precision, assessment jsonb)
            ), claimed AS (
                INSERT INTO result_runs (run_id, site_id, agent_id, content_hash, started_at, received_at)
                SELECT run_id, site_id, agent_id, content_hash, started_at, received_at FROM incoming
                ON CONFLICT (run_id) DO NOTHING RETURNING run_id
            )
            INSERT INTO results (run_id, site_id, agent_id, started_at, finished_at, received_at, body,
                policy_name, policy_version, verdict, score, mos, transport,
                rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, assessment)
            SELECT i.run_id, i.site_id, i.agent_id, i.started_at, i.finished_at, i.received_at, i.body,
                i.policy_name, i.policy_version, i.verdict, i.score, i.mos, i.transport,
                i.rtt_ms, i.jitter_ms, i.loss_pct, i.down_kbps, i.up_kbps, i.assessment
            FROM incoming i JOIN claimed c ON c.run_id = i.run_id
            RETURNING 1
            """).prepared(as: "ingest_group_insert"))
        // A run_id stored before (a replay or a conflict): the per-upload path tells which.
        guard stored.count == rows.resultCount else { throw SetBasedRefusal.runAlreadyClaimed }
        if let agents = rows.agents {
            try tx.execute(
                PostgresQuery("""
                UPDATE agents AS a SET last_seen_at = v.at
                FROM jsonb_to_recordset(\(agents)) AS v(id uuid, at timestamptz) WHERE a.id = v.id
                """).prepared(as: "ingest_group_touch_agents"))
        }
        let bySite = Dictionary(grouping: uploads, by: \.siteID)
        let refreshes = try rows.siteIDs.map { siteID in
            try SiteAssessmentUpdater.refresh(
                site: siteID, uploads: bySite[siteID] ?? [], currentETag: sites[siteID] ?? nil, windows: windows, on: tx)
        }
        try SiteRefresh.save(refreshes, on: tx)
        let replies: [Reply] = uploads.map { upload in
            .success(upload.results.map {
                UploadOutcome(runID: $0.result.runID, siteID: upload.siteID, status: .created,
                              assessment: AssessmentSummary($0.evaluation))
            })
        }
        return GroupResult(replies: replies, windows: refreshes.map(\.entry))
    }

    /// Locks the group's sites in id order (the per-upload path's order too, so two groups in
    /// flight cannot deadlock on them), then reads each site's stored assessment ETag, which
    /// tells whether the remembered window is still the database's. The ETags are read by a
    /// second statement on purpose: under READ COMMITTED a statement that waited for a row lock
    /// re-reads only the locked row, so an ETag joined into the locking statement could predate
    /// the commit it waited for; the next statement's snapshot includes that commit.
    private static func lockSites(_ ids: [UUID], on tx: PostgresConnection) throws -> [UUID: String?] {
        let locked = try tx.query(
            PostgresQuery("""
            SELECT id, archived_at IS NOT NULL AS archived FROM sites
            WHERE id = ANY(\(UUIDArray(ids))) ORDER BY id FOR NO KEY UPDATE
            """).prepared(as: "ingest_group_lock_sites"))
        guard locked.count == ids.count else { throw SetBasedRefusal.siteNotWritable }
        for row in locked where try row.decode(Bool.self, column: "archived") { throw SetBasedRefusal.siteNotWritable }
        var etags: [UUID: String?] = Dictionary(uniqueKeysWithValues: ids.map { ($0, nil) })
        let current = try tx.query(
            PostgresQuery("SELECT site_id, etag FROM site_assessments WHERE site_id = ANY(\(UUIDArray(ids)))")
                .prepared(as: "ingest_group_current_etags"))
        for row in current { etags[try row.decode(UUID.self, column: "site_id")] = try row.decode(String.self, column: "etag") }
        return etags
    }
}
