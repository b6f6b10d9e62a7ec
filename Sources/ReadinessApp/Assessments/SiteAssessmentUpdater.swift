import JSON
import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring

/// Rewrites a site's current assessment inside the caller's transaction (the site row is
/// already locked), and records what changed since the previous one in `site_changes`.
///
/// Two callers, one per cause: a site's settings changed (`rescore`, here in `Assessments`),
/// or a commit group stored new results (`refresh(site:uploads:…)`, in
/// `Ingest/SiteAssessmentUpdater+Group.swift`, which writes its sites' refreshes in the
/// group's one statement). Both use the window bounds and stored-result reads below.
enum SiteAssessmentUpdater {
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
