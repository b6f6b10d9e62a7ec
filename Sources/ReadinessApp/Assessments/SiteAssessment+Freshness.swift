import Foundation
import ReadinessDomain

extension SiteAssessment {
    /// The stored assessment as it reads at `now`. It was computed when the newest upload
    /// arrived; with no upload since, it turns `stale` once its newest result leaves the
    /// freshness window (readiness-policy.md: "whatever its last verdict"). The stale form is
    /// dated at the moment it went stale, not at `now`, so that equal state gives equal bytes
    /// and ETags hold across requests.
    func asOf(_ now: Date) -> SiteAssessment {
        guard verdict != .stale,
              let newest = newestResultAt.flatMap({ RFC3339Timestamp.parse($0) }),
              now.timeIntervalSince(newest) > windowS
        else { return self }
        var stale = self
        stale.lastVerdict = verdict
        stale.verdict = .stale
        stale.score = nil
        let staleSince = newest.addingTimeInterval(windowS)
        if let assessed = RFC3339Timestamp.parse(assessedAt), assessed < staleSince {
            stale.assessedAt = RFC3339Timestamp.format(staleSince)
        }
        return stale
    }
}
