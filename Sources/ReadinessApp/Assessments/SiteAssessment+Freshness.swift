import JSON
import Foundation
import ReadinessScoring

extension SiteAssessment {
    /// The stored assessment as it reads at `now`. It was computed when the newest upload
    /// arrived; with no upload since, it turns `stale` once its newest result leaves the
    /// freshness window (readiness-policy.md: "whatever its last verdict").
    func asOf(_ now: Date) -> SiteAssessment {
        guard let staleAfter, now > staleAfter else { return self }
        return turnedStale(at: staleAfter)
    }

    /// When the newest result leaves the freshness window: stale strictly after this instant.
    /// nil when the assessment is stale already or rests on no result.
    var staleAfter: Date? {
        guard verdict != .stale, let newest = newestResultAt.flatMap({ RFC3339Timestamp.parse($0) }) else { return nil }
        return newest.addingTimeInterval(windowS)
    }

    /// The stale form, dated at the moment it went stale rather than at the request, so that
    /// equal state gives equal bytes and ETags hold across requests (and it can be cached).
    func turnedStale(at staleSince: Date) -> SiteAssessment {
        var stale = self
        stale.lastVerdict = verdict
        stale.verdict = .stale
        stale.score = nil
        if let assessed = RFC3339Timestamp.parse(assessedAt), assessed < staleSince {
            stale.assessedAt = RFC3339Timestamp.format(staleSince)
        }
        return stale
    }
}
