import Foundation
import Postgres

extension GroupCommitWriter {
    /// What one group's transaction produced: a reply per upload, and the site windows to
    /// remember once (and only if) the transaction committed.
    struct GroupResult: Sendable {
        var replies: [Reply]
        var windows: [SiteWindowCache.Entry]
        /// The group appended `site_changes` rows, so the outbox trigger may have enqueued
        /// webhook events: the lane rings the delivery worker's doorbell after the commit.
        var wroteChanges = false

        init(replies: [Reply], windows: [SiteWindowCache.Entry], refreshes: [SiteRefresh] = []) {
            self.replies = replies
            self.windows = windows
            wroteChanges = refreshes.contains { !$0.changes.isEmpty }
        }
    }

    /// The group's one write stage, with one fallback. The common case first: every upload in
    /// the group is new, for a live site (`GroupCommitWriter+SetBased`). Then the whole
    /// group is one transaction of two round trips whatever its size: BEGIN, the site locks
    /// and their ETags in one pipeline; then one statement that writes everything (claim
    /// run_ids, insert results, touch agents, upsert every site's assessment, append the
    /// changes) with COMMIT. Anything else (a replay or a run_id conflict, which the claim
    /// refuses with a unique violation; an archived site; any failed statement) rolls that
    /// transaction back, and the group is written again upload by upload, each in its own
    /// savepoint (`GroupCommitWriter+SavepointFallback`), which gives every request its own
    /// answer. Runs on the connection's thread.
    ///
    /// Two writers on purpose: the set-based one costs two round trips whatever the group's
    /// size but can only commit or fail as a whole; the fallback answers each upload on its
    /// own (a replay, a conflict, an archived site, a spent budget) at several round trips per
    /// upload. Both end in the same site refresh (`SiteAssessmentUpdater+Group`) and the same
    /// write statement (`groupWriteStatement`), so they store the same rows.
    ///
    /// The group is planned before BEGIN: whether any run id was claimed before (then the
    /// savepoint fallback), and every site's new assessment, computed from its remembered window
    /// (or one read back from storage) against the ETag its stored assessment had. The
    /// transaction then only locks, checks those ETags again and writes: no transaction stays
    /// open while the CPU works. A site written by someone else in between (its ETag moved) is
    /// assessed again under its lock.
    static func writeGroup(_ uploads: [PreparedUpload], windows: SiteWindowCache, on connection: PostgresConnection) throws -> GroupResult {
        if let rows = SetBasedRows(uploads) {
            do {
                if let plan = try plan(uploads, rows, windows: windows, on: connection) {
                    return try connection.transaction { tx in try writeSetBased(uploads, rows, plan, windows: windows, on: tx) }
                }
            } catch let error as PostgresError where error.isConnectionLost {
                throw error
            } catch {
                // Rolled back; the savepoint fallback below tells each upload what happened.
            }
        }
        return try connection.transaction { tx in try writeUploadByUpload(uploads, windows: windows, on: tx) }
    }
}
