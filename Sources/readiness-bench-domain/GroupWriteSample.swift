import Foundation
import Postgres
import ReadinessApp
import ReadinessContract
import ReadinessScoring

/// One commit group's write statement, built as a lane builds it (`SetBasedRows`, the site
/// refreshes' columns, `groupWriteStatement`) but without a database: for
/// `readiness-bench-domain group`, which counts the instructions and allocations of building
/// the group's parameters. It lives here, not in the service: it reaches the lane's types
/// through their `package` members.
struct GroupWriteSample: Sendable {
    let uploads: [PreparedUpload]
    let refreshes: [SiteRefresh]

    /// One upload per result, each result from a site of its own with an unchanged assessment
    /// (no change rows): the usual group under `make bench-api`. The handler's and the lane's
    /// work before the statement (evaluation, canonical JSON, SHA-256, site windows) is done here.
    init(results: [ProbeResult], policy: Policy, site: SiteParameters, receivedAt: Date) throws {
        var uploads: [PreparedUpload] = [], refreshes: [SiteRefresh] = []
        for (index, result) in results.enumerated() {
            let siteID = UUID(uuid: (0x51, 0x7e, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0,
                                     UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)))
            let evaluation = policy.evaluate(result, site: site)
            let prepared = try PreparedResult(result, evaluation: evaluation, pointerPrefix: "")
            uploads.append(PreparedUpload(siteID: siteID, agentID: siteID, site: site, policy: policy, results: [prepared],
                                          wasBatch: false, receivedAt: receivedAt))
            var window = SiteWindow(policy: policy, completeFrom: .distantPast)
            window.insert(result, observed: evaluation.observations)
            guard let (assessment, json) = try window.assessCompact(site: site, now: receivedAt) else {
                throw SiteWindowCache.NothingToAssess()
            }
            let stored = StoredSiteAssessment(siteID: siteID, assessment: assessment, compactJSON: json, updatedAt: receivedAt)
            refreshes.append(SiteRefresh(
                stored: stored, changes: AssessmentChanges.between(assessment, assessment), runID: result.runID,
                buckets: try SiteRefresh.Buckets(taking: &window),
                entry: SiteWindowCache.Entry(siteID: siteID, etag: stored.etag, assessment: assessment, window: window)))
        }
        self.uploads = uploads
        self.refreshes = refreshes.sorted { $0.stored.siteID < $1.stored.siteID }
    }

    /// Builds the group's write statement with every parameter bound; the bytes bound (0 when
    /// the group would take the per-upload path).
    func buildStatement() -> Int {
        guard let rows = SetBasedRows(uploads) else { return 0 }
        let query = GroupCommitWriter.groupWriteStatement(rows, refreshes)
        return query.bindings.byteCount
    }
}
