import Foundation
import Postgres
import ReadinessDomain

/// One site's new current assessment in a commit group, with what changed since the stored
/// one. A group writes all of its sites' refreshes with two statements (upsert the
/// assessments, append the changes) instead of one or more round trips per site.
struct SiteRefresh: Sendable {
    let stored: StoredSiteAssessment
    let changes: AssessmentChanges
    /// The newest of the site's new runs, which the change rows name.
    let runID: UUID?
    let entry: SiteWindowCache.Entry

    /// Writes every refresh, in the order given (the group's site order, as the rows are locked).
    static func save(_ refreshes: [SiteRefresh], on tx: PostgresConnection) throws {
        guard !refreshes.isEmpty else { return }
        try tx.execute(
            PostgresQuery("""
            INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes,
                newest_result_at, assessment, etag, updated_at)
            SELECT site_id, policy_name, policy_version, verdict, score, finding_codes,
                newest_result_at, assessment, etag, updated_at
            FROM jsonb_to_recordset(\(assessmentRows(refreshes))) AS r(site_id uuid, policy_name text,
                policy_version integer, verdict text, score integer, finding_codes text[],
                newest_result_at timestamptz, assessment jsonb, etag text, updated_at timestamptz)
            ON CONFLICT (site_id) DO UPDATE SET policy_name = EXCLUDED.policy_name,
                policy_version = EXCLUDED.policy_version, verdict = EXCLUDED.verdict, score = EXCLUDED.score,
                finding_codes = EXCLUDED.finding_codes, newest_result_at = EXCLUDED.newest_result_at,
                assessment = EXCLUDED.assessment, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at
            """).prepared(as: "ingest_group_save_assessments"))
        guard let changes = changeRows(refreshes) else { return }
        // Rows come out of jsonb_to_recordset in array order, so ids follow it: per site, the
        // verdict change first, then findings by code, as the per-upload path writes them.
        try tx.execute(
            PostgresQuery("""
            INSERT INTO site_changes (site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status)
            SELECT site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status
            FROM jsonb_to_recordset(\(changes)) AS r(site_id uuid, at timestamptz, run_id uuid, kind text, code text,
                rule_id text, from_verdict text, to_verdict text, from_status text, to_status text)
            """).prepared(as: "ingest_group_record_changes"))
    }

    private static func assessmentRows(_ refreshes: [SiteRefresh]) -> PostgresJSONB {
        var rows = RecordsetJSON(capacity: refreshes.reduce(0) { $0 + $1.stored.assessmentJSON.count + 512 })
        for refresh in refreshes {
            let stored = refresh.stored
            rows.beginRow()
            rows.field("site_id", stored.siteID)
            rows.field("policy_name", stored.assessment.policy)
            rows.field("policy_version", stored.assessment.policyVersion)
            rows.field("verdict", stored.assessment.verdict.rawValue)
            rows.field("score", stored.assessment.score)
            rows.field("finding_codes", strings: stored.findingCodes)
            rows.field("newest_result_at", stored.newestResultAt)
            rows.field("assessment", json: stored.assessmentJSON)
            rows.field("etag", stored.etag)
            rows.field("updated_at", stored.updatedAt)
            rows.endRow()
        }
        return rows.finish()
    }

    /// nil when no site changed.
    private static func changeRows(_ refreshes: [SiteRefresh]) -> PostgresJSONB? {
        var rows = RecordsetJSON()
        for refresh in refreshes {
            let site = refresh.stored.siteID, at = refresh.stored.updatedAt
            if let verdict = refresh.changes.verdict {
                rows.beginRow()
                rows.field("site_id", site)
                rows.field("at", at)
                rows.field("run_id", refresh.runID)
                rows.field("kind", "verdict_changed")
                rows.field("code", verdict.code)
                rows.field("from_verdict", verdict.from?.rawValue)
                rows.field("to_verdict", verdict.to.rawValue)
                rows.endRow()
            }
            for finding in refresh.changes.findings {
                rows.beginRow()
                rows.field("site_id", site)
                rows.field("at", at)
                rows.field("run_id", refresh.runID)
                rows.field("kind", "finding_" + finding.change.rawValue)
                rows.field("code", finding.code)
                rows.field("rule_id", finding.ruleID)
                rows.field("from_status", finding.from?.rawValue)
                rows.field("to_status", finding.to?.rawValue)
                rows.endRow()
            }
        }
        return rows.rowCount == 0 ? nil : rows.finish()
    }
}
