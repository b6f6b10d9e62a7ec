import JSON
import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring

/// Rewrites a site's current assessment inside the upload's transaction (the site row is
/// already locked), and records what changed since the previous one in `site_changes`.
enum SiteAssessmentUpdater {
    static func refresh(after upload: PreparedUpload, newResults: [ProbeResult], on tx: PostgresConnection) throws {
        let now = upload.receivedAt
        let window = upload.policy.freshnessWindow
        let previous = try StoredSiteAssessment.load(site: upload.siteID, policy: upload.policy, on: tx)
        // Only the results assess() will use: the freshness window, or (when the site's newest
        // result is older than it) the window ending at that newest result, for last_verdict.
        let newest = ([previous?.newestResultAt].compactMap { $0 } + newResults.map(\.finishedAt)).max() ?? now
        let cutoff = now.addingTimeInterval(-window)
        let lowerBound = newest >= cutoff ? cutoff : newest.addingTimeInterval(-window)
        let results = try windowResults(site: upload.siteID, from: lowerBound, known: newResults, on: tx)
        let assessment = upload.policy.assess(results, site: upload.site, now: now)
        let changes = AssessmentChanges.between(previous?.assessment, assessment)
        let stored = try StoredSiteAssessment(siteID: upload.siteID, assessment: assessment, updatedAt: now)
        try stored.save(on: tx)
        try record(
            changes, scores: (previous?.assessment.score, assessment.score), site: upload.siteID,
            runID: newResults.max { $0.finishedAt < $1.finishedAt }?.runID, at: now, on: tx)
    }

    /// Once per site per commit group: the same assessment the per-upload path would leave
    /// after the site's last upload of the group, computed once. Changes are recorded between
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

    /// The earliest finish time `assess` will look at: the freshness window, or (when the
    /// site's newest result is older than it) the window ending at that newest result, for
    /// last_verdict.
    static func windowStart(previous: SiteAssessment?, newResults: [ProbeResult], now: Date, window: TimeInterval) -> Date {
        let previousNewest = previous?.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }
        let newest = ([previousNewest].compactMap { $0 } + newResults.map(\.finishedAt)).max() ?? now
        let cutoff = now.addingTimeInterval(-window)
        return newest >= cutoff ? cutoff : newest.addingTimeInterval(-window)
    }

    /// The site's stored results from `lowerBound` on; those uploaded now come from memory
    /// rather than being decoded again.
    static func windowResults(site: UUID, from lowerBound: Date, known: [ProbeResult], on tx: PostgresConnection) throws -> [ProbeResult] {
        known.filter { $0.finishedAt >= lowerBound } + (try storedResults(site: site, from: lowerBound, besides: known, on: tx))
    }

    /// The site's stored results from `lowerBound` on but those of `known` (by run id).
    static func storedResults(site: UUID, from lowerBound: Date, besides known: [ProbeResult], on tx: PostgresConnection) throws -> [ProbeResult] {
        let knownIDs = Set(known.map(\.runID))
        let rows = try tx.query(
            PostgresQuery("SELECT run_id, body FROM results WHERE site_id = \(site) AND finished_at >= \(lowerBound)")
                .prepared(as: "assessment_window_results"))
        var results: [ProbeResult] = []
        for row in rows where !knownIDs.contains(try row.decode(UUID.self, column: "run_id")) {
            let body = try row.decode(PostgresJSON.self, column: "body")
            results.append(try APIJSON.decoder.decode(ProbeResult.self, from: Data(body.bytes)))
        }
        return results
    }

    /// `scores`: the assessments' scores before and after, kept on the verdict change's row.
    static func record(
        _ changes: AssessmentChanges, scores: (from: Int?, to: Int?), site: UUID, runID: UUID?, at time: Date,
        on tx: PostgresConnection
    ) throws {
        if let verdict = changes.verdict {
            try tx.execute(
                PostgresQuery("""
                INSERT INTO site_changes (site_id, at, run_id, kind, code, from_verdict, to_verdict, from_score, to_score)
                VALUES (\(site), \(time), \(runID), 'verdict_changed', \(verdict.code), \(verdict.from?.rawValue), \(verdict.to.rawValue),
                        \(scores.from), \(scores.to))
                """).prepared(as: "assessment_verdict_change"))
        }
        for finding in changes.findings {
            let kind = "finding_" + finding.change.rawValue
            try tx.execute(
                PostgresQuery("""
                INSERT INTO site_changes (site_id, at, run_id, kind, code, rule_id, from_status, to_status)
                VALUES (\(site), \(time), \(runID), \(kind), \(finding.code), \(finding.ruleID),
                        \(finding.from?.rawValue), \(finding.to?.rawValue))
                """).prepared(as: "assessment_finding_change"))
        }
    }
}
