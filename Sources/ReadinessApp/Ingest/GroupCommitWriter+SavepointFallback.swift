import Foundation
import Postgres

extension GroupCommitWriter {
    /// `writeGroup`'s fallback: writes each upload inside its own savepoint. A rejection (409,
    /// archived site) or a failed statement rolls back that upload alone; its request gets its
    /// own error and the group still commits. Uploads are written in site order so that two groups in flight (or two
    /// replicas) lock site rows in the same order and cannot deadlock on them.
    ///
    /// Each site's assessment is refreshed once, after every upload, from its remembered window
    /// with only the runs stored anew (as the set-based path does): a replay adds nothing to
    /// the window and costs its lookup alone, whatever the window holds, and the new uploads
    /// beside it cost what they cost without it.
    static func writeUploadByUpload(_ uploads: [PreparedUpload], windows: SiteWindowCache, on tx: PostgresConnection) throws -> GroupResult {
        var replies = [Reply](repeating: .failure(.failed), count: uploads.count)
        let order = uploads.indices.sorted { (uploads[$0].siteID, $0) < (uploads[$1].siteID, $1) }
        var stored: [UUID: [PreparedUpload]] = [:]
        var sites: [UUID] = []
        for index in order {
            try tx.execute("SAVEPOINT upload")
            do {
                try chargeResultBudgets([uploads[index]], on: tx)
                let (outcomes, fresh) = try PostgresResultStore.store(uploads[index], on: tx)
                try tx.execute("RELEASE SAVEPOINT upload")
                replies[index] = .success(outcomes)
                guard !fresh.isEmpty else { continue }
                let upload = uploads[index]
                if stored[upload.siteID] == nil { sites.append(upload.siteID) }
                stored[upload.siteID, default: []].append(PreparedUpload(
                    siteID: upload.siteID, agentID: upload.agentID, site: upload.site, policy: upload.policy,
                    results: fresh, wasBatch: upload.wasBatch, receivedAt: upload.receivedAt))
            } catch let error as PostgresError where error.isConnectionLost {
                throw error
            } catch {
                try tx.execute("ROLLBACK TO SAVEPOINT upload")
                try tx.execute("RELEASE SAVEPOINT upload")
                replies[index] = .failure(UploadFailure(error))
            }
        }
        guard !sites.isEmpty else { return GroupResult(replies: replies, windows: []) }
        let etags = try currentETags(sites, on: tx)
        let refreshes = try sites.map { site in
            try SiteAssessmentUpdater.refresh(
                site: site, uploads: stored[site] ?? [], currentETag: etags[site] ?? nil, windows: windows, on: tx)
        }
        // The set-based statement with no result rows: every refreshed site's assessment,
        // changes and buckets in one round trip.
        guard let none = SetBasedRows([]) else { return GroupResult(replies: replies, windows: []) }
        try tx.execute(groupWriteStatement(none, refreshes))
        return GroupResult(replies: replies, windows: refreshes.map(\.entry), refreshes: refreshes)
    }

    private static func currentETags(_ sites: [UUID], on tx: PostgresConnection) throws -> [UUID: String?] {
        let rows = try tx.query(
            PostgresQuery("SELECT site_id, etag FROM site_assessments WHERE site_id = ANY(\(PostgresArray(sites)))")
                .prepared(as: "ingest_savepoint_current_etags"))
        var etags: [UUID: String?] = [:]
        for row in rows { etags[try row.decode(UUID.self, column: "site_id")] = try row.decode(String.self, column: "etag") }
        return etags
    }
}
