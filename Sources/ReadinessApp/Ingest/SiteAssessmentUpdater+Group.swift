import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring

extension SiteAssessmentUpdater {
    /// Once per site per commit group, on both of the group's write paths (set-based and the
    /// savepoint fallback): the assessment as of the site's last upload of the group, computed
    /// once. Changes are recorded between
    /// the stored assessment and this one (a flip and back inside one group records nothing).
    /// The window comes from `windows` when its entry is still the database's (`currentETag`):
    /// the group's runs are then added to it, and the assessment costs no re-scoring of the
    /// window. Otherwise (or when that window lacks older runs the assessment needs) the
    /// window is read from the table. Nothing is written here: the group writes every site's
    /// refresh in two statements (`SiteRefresh.save`). The entry may be remembered once the
    /// group commits.
    static func refresh(
        site siteID: UUID, uploads: [PreparedUpload], currentETag: String?, windows: SiteWindowCache,
        on tx: PostgresConnection
    ) throws -> SiteRefresh {
        guard let last = uploads.max(by: { $0.receivedAt < $1.receivedAt }) else { throw SiteWindowCache.NothingToAssess() }
        let now = last.receivedAt
        let newResults = uploads.flatMap { $0.results.map(\.result) }
        var previous: SiteAssessment?
        var window: SiteWindow?
        var assessed: (assessment: SiteAssessment, compactJSON: [UInt8])?
        if var cached = windows.take(siteID, etag: currentETag, policy: last.policy) {
            previous = cached.assessment
            for upload in uploads {
                for prepared in upload.results { cached.window.insert(prepared.result, observed: prepared.evaluation.observations) }
            }
            assessed = try cached.window.assessCompact(site: last.site, now: now)
            window = cached.window
        }
        if assessed == nil {
            if previous == nil { previous = try StoredSiteAssessment.load(site: siteID, policy: last.policy, on: tx)?.assessment }
            let lowerBound = windowStart(previous: previous, newResults: newResults, now: now, window: last.policy.freshnessWindow)
            var read = try SiteWindowLoader.window(
                site: siteID, policy: last.policy, from: lowerBound, besides: Set(newResults.map(\.runID)), on: tx)
            // The group's own runs with the observations their evaluations made (as on the
            // cached path), so only the runs read from the table are observed here.
            for upload in uploads {
                for prepared in upload.results where prepared.result.finishedAt >= lowerBound {
                    read.insert(prepared.result, observed: prepared.evaluation.observations)
                }
            }
            // Complete from the bound this assessment needs, so it always answers; the full
            // computation from the bodies stands behind it all the same.
            if let answer = try read.assessCompact(site: last.site, now: now) {
                assessed = answer
            } else {
                let stored = try storedResults(site: siteID, from: lowerBound, besides: newResults, on: tx)
                let results = newResults.filter { $0.finishedAt >= lowerBound } + stored
                read = SiteWindow(policy: last.policy, completeFrom: lowerBound)
                for result in results { read.insert(result) }
                let assessment = last.policy.assess(results, site: last.site, now: now)
                assessed = (assessment, try CompactSiteAssessment.jsonBytes(of: assessment))
            }
            window = read
        }
        guard let (assessment, compactJSON) = assessed, var window else { throw SiteWindowCache.NothingToAssess() }
        let stored = StoredSiteAssessment(siteID: siteID, assessment: assessment, compactJSON: compactJSON, updatedAt: now)
        return SiteRefresh(
            stored: stored, changes: AssessmentChanges.between(previous, assessment), previousScore: previous?.score,
            runID: newResults.max { $0.finishedAt < $1.finishedAt }?.runID,
            buckets: try SiteRefresh.Buckets(taking: &window),
            entry: SiteWindowCache.Entry(siteID: siteID, etag: stored.etag, assessment: assessment, window: window))
    }
}
