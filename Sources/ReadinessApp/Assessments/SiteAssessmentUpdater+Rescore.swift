import Foundation
import Postgres
import ReadinessScoring

extension SiteAssessmentUpdater {
    /// Scores a site's current assessment again after what it is judged by changed (its policy,
    /// expected users or longest call), inside the transaction that changed the site (its row
    /// is locked). Without it the stored assessment would keep the old policy's verdict until the
    /// site's next upload. A site with no assessment yet (no result) has nothing to score.
    /// What changed is recorded as `site_changes` without a run id: no upload caused it. The new
    /// ETag also tells the commit lanes that their remembered window is stale.
    static func rescore(site: SiteRecord, policy: Policy, now: Date, on tx: PostgresConnection) throws {
        guard let previous = try StoredSiteAssessment.load(site: site.id, policy: policy, on: tx)?.assessment else { return }
        let lowerBound = windowStart(previous: previous, newResults: [], now: now, window: policy.freshnessWindow)
        let results = try windowResults(site: site.id, from: lowerBound, known: [], on: tx)
        let assessment = policy.assess(results, site: site.parameters, now: now)
        let stored = try StoredSiteAssessment(siteID: site.id, assessment: assessment, updatedAt: now)
        try stored.save(on: tx)
        try record(
            AssessmentChanges.between(previous, assessment), scores: (previous.score, assessment.score), site: site.id,
            runID: nil, at: now, on: tx)
    }
}
