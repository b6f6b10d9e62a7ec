import Foundation
import Postgres
import ReadinessScoring

/// One site's new current assessment in a commit group, with what changed since the stored
/// one. A group writes all of its sites' refreshes inside its one write statement (see
/// `GroupCommitWriter+SetBased`), as the columns below, instead of round trips per site.
package struct SiteRefresh: Sendable {
    package let stored: StoredSiteAssessment
    let changes: AssessmentChanges
    /// The score of the assessment this one replaces, for the verdict change's row.
    let previousScore: Int?
    /// The newest of the site's new runs, which the change rows name.
    let runID: UUID?
    let buckets: Buckets
    let entry: SiteWindowCache.Entry

    package init(stored: StoredSiteAssessment, changes: AssessmentChanges, previousScore: Int? = nil, runID: UUID?,
                 buckets: Buckets, entry: SiteWindowCache.Entry) {
        self.stored = stored
        self.changes = changes
        self.previousScore = previousScore
        self.runID = runID
        self.buckets = buckets
        self.entry = entry
    }

    /// A busy site's buckets to store with its assessment (`site_window_buckets`): those its
    /// new runs went into (every one, when the window was just summarised), and the moment
    /// from which the stored buckets are its window; nothing, and no moment, for a window
    /// held run by run.
    package struct Buckets: Sendable {
        struct Row: Sendable {
            let index: Int
            let summary: String
        }

        let summaryFrom: Date?
        let rows: [Row]
        /// Stored buckets before this one have left the window.
        let oldestKept: Int?

        package init(taking window: inout SiteWindow) throws {
            guard window.isSummarised else {
                (summaryFrom, rows, oldestKept) = (nil, [], nil)
                return
            }
            rows = try window.takeTouchedBuckets().map { Row(index: $0.index, summary: String(decoding: try $0.jsonBytes(), as: UTF8.self)) }
            summaryFrom = window.completeFrom
            oldestKept = window.oldestBucketIndex
        }
    }

    /// The group's `site_window_buckets` rows, and per summarised site the oldest bucket kept.
    struct BucketColumns {
        var siteID = PostgresArray<UUID>()
        var bucket = PostgresArray<Int>()
        var policyName = PostgresArray<String>()
        var policyVersion = PostgresArray<Int32>()
        var summary = PostgresArray<String>()
        var keptSite = PostgresArray<UUID>()
        var keptFrom = PostgresArray<Int>()

        init(_ refreshes: [SiteRefresh]) {
            for refresh in refreshes {
                let stored = refresh.stored
                for row in refresh.buckets.rows {
                    siteID.append(stored.siteID)
                    bucket.append(row.index)
                    policyName.append(stored.assessment.policy)
                    policyVersion.append(Int32(clamping: stored.assessment.policyVersion))
                    summary.append(row.summary)
                }
                if let oldest = refresh.buckets.oldestKept {
                    keptSite.append(stored.siteID)
                    keptFrom.append(oldest)
                }
            }
        }
    }

    /// The group's `site_assessments` rows, column by column, in the order given (the group's
    /// site order, as the rows are locked).
    struct AssessmentColumns {
        var siteID: PostgresArray<UUID>
        var policyName: PostgresArray<String>
        var policyVersion: PostgresArray<Int32>
        var verdict: PostgresArray<String>
        var score: PostgresArray<Int32>
        /// Each row's codes as a `text[]` literal (an array of arrays would not unnest row by row).
        var findingCodes: PostgresArray<PostgresText>
        var newestResultAt: PostgresArray<Date>
        var assessment: PostgresArray<PostgresText>
        var etag: PostgresArray<String>
        var updatedAt: PostgresArray<Date>
        var mos: PostgresArray<Double>
        var transport: PostgresArray<String>
        var summaryFrom: PostgresArray<Date>

        init(_ refreshes: [SiteRefresh]) {
            // Each column's bytes reserved once, rather than grown from empty by doubling: two
            // dozen allocations and copies per group otherwise. Texts are counted as they are,
            // but the codes' literal, at a guess (`findingCodes` builds an array per call).
            let rows = refreshes.count
            var documentBytes = 0, policyBytes = 0, verdictBytes = 0, etagBytes = 0, transportBytes = 0
            for refresh in refreshes {
                let stored = refresh.stored
                documentBytes += stored.assessmentJSON.count
                policyBytes += stored.assessment.policy.utf8.count
                verdictBytes += stored.assessment.verdict.rawValue.utf8.count
                etagBytes += stored.etag.utf8.count
                transportBytes += stored.transport?.utf8.count ?? 0
            }
            siteID = PostgresArray(reservingElements: rows)
            policyName = PostgresArray(reservingElements: rows, variableBytes: policyBytes)
            policyVersion = PostgresArray(reservingElements: rows)
            verdict = PostgresArray(reservingElements: rows, variableBytes: verdictBytes)
            score = PostgresArray(reservingElements: rows)
            findingCodes = PostgresArray(reservingElements: rows, variableBytes: rows * 64)
            newestResultAt = PostgresArray(reservingElements: rows)
            assessment = PostgresArray(reservingElements: rows, variableBytes: documentBytes)
            etag = PostgresArray(reservingElements: rows, variableBytes: etagBytes)
            updatedAt = PostgresArray(reservingElements: rows)
            mos = PostgresArray(reservingElements: rows)
            transport = PostgresArray(reservingElements: rows, variableBytes: transportBytes)
            summaryFrom = PostgresArray(reservingElements: rows)
            for refresh in refreshes {
                summaryFrom.append(refresh.buckets.summaryFrom)
                let stored = refresh.stored
                siteID.append(stored.siteID)
                policyName.append(stored.assessment.policy)
                policyVersion.append(Int32(clamping: stored.assessment.policyVersion))
                verdict.append(stored.assessment.verdict.rawValue)
                score.append(stored.assessment.score.map { Int32(clamping: $0) })
                findingCodes.appendTextArrayLiteral(stored.findingCodes)
                newestResultAt.append(stored.newestResultAt)
                assessment.append(PostgresText(bytes: stored.assessmentJSON))
                etag.append(stored.etag)
                updatedAt.append(stored.updatedAt)
                mos.append(stored.mos)
                transport.append(stored.transport)
            }
        }
    }

    /// The group's `site_changes` rows in the order their ids are to follow: per site, the
    /// verdict change first, then findings by code, as `SiteAssessmentUpdater.record` writes them.
    struct ChangeColumns {
        var siteID: PostgresArray<UUID>
        var at: PostgresArray<Date>
        var runID: PostgresArray<UUID>
        var kind: PostgresArray<String>
        var code: PostgresArray<String>
        var ruleID: PostgresArray<String>
        var fromVerdict: PostgresArray<String>
        var toVerdict: PostgresArray<String>
        var fromStatus: PostgresArray<String>
        var toStatus: PostgresArray<String>
        /// A verdict change's scores (`from_score`, `to_score`); NULL for findings.
        var fromScore: PostgresArray<Int32>
        var toScore: PostgresArray<Int32>

        init(_ refreshes: [SiteRefresh]) {
            // Sized for the rows there are (usually none), texts at a guess of their usual length.
            let rows = refreshes.reduce(0) { $0 + ($1.changes.verdict == nil ? 0 : 1) + $1.changes.findings.count }
            siteID = PostgresArray(reservingElements: rows)
            at = PostgresArray(reservingElements: rows)
            runID = PostgresArray(reservingElements: rows)
            kind = PostgresArray(reservingElements: rows, variableBytes: rows * 20)
            code = PostgresArray(reservingElements: rows, variableBytes: rows * 32)
            ruleID = PostgresArray(reservingElements: rows, variableBytes: rows * 32)
            fromVerdict = PostgresArray(reservingElements: rows, variableBytes: rows * 12)
            toVerdict = PostgresArray(reservingElements: rows, variableBytes: rows * 12)
            fromStatus = PostgresArray(reservingElements: rows, variableBytes: rows * 8)
            toStatus = PostgresArray(reservingElements: rows, variableBytes: rows * 8)
            fromScore = PostgresArray(reservingElements: rows)
            toScore = PostgresArray(reservingElements: rows)
            for refresh in refreshes {
                let site = refresh.stored.siteID, at = refresh.stored.updatedAt
                if let verdict = refresh.changes.verdict {
                    append(site, at, refresh.runID, kind: "verdict_changed", code: verdict.code, ruleID: nil,
                           verdicts: (verdict.from?.rawValue, verdict.to.rawValue), statuses: (nil, nil),
                           scores: (refresh.previousScore, refresh.stored.assessment.score))
                }
                for finding in refresh.changes.findings {
                    append(site, at, refresh.runID, kind: "finding_" + finding.change.rawValue, code: finding.code,
                           ruleID: finding.ruleID, verdicts: (nil, nil), statuses: (finding.from?.rawValue, finding.to?.rawValue),
                           scores: (nil, nil))
                }
            }
        }

        private mutating func append(
            _ site: UUID, _ time: Date, _ run: UUID?, kind: String, code: String, ruleID: String?,
            verdicts: (String?, String?), statuses: (String?, String?), scores: (Int?, Int?)
        ) {
            fromScore.append(scores.0.map { Int32(clamping: $0) })
            toScore.append(scores.1.map { Int32(clamping: $0) })
            siteID.append(site)
            at.append(time)
            runID.append(run)
            self.kind.append(kind)
            self.code.append(code)
            self.ruleID.append(ruleID)
            fromVerdict.append(verdicts.0)
            toVerdict.append(verdicts.1)
            fromStatus.append(statuses.0)
            toStatus.append(statuses.1)
        }
    }
}
