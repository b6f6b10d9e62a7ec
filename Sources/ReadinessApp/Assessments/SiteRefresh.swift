import Foundation
import Postgres
import ReadinessDomain

/// One site's new current assessment in a commit group, with what changed since the stored
/// one. A group writes all of its sites' refreshes inside its one write statement (see
/// `GroupCommitWriter+SetBased`), as the columns below, instead of round trips per site.
struct SiteRefresh: Sendable {
    let stored: StoredSiteAssessment
    let changes: AssessmentChanges
    /// The newest of the site's new runs, which the change rows name.
    let runID: UUID?
    let entry: SiteWindowCache.Entry

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

        init(_ refreshes: [SiteRefresh]) {
            // Each column's bytes reserved once (each element is its 4-byte length and its
            // value), rather than grown from empty by doubling: two dozen allocations and
            // copies per group otherwise. Texts get room for their usual length.
            let rows = refreshes.count
            var documentBytes = 0
            for refresh in refreshes { documentBytes += refresh.stored.assessmentJSON.count + 4 }
            siteID = PostgresArray(reservingBytes: rows * 20)
            policyName = PostgresArray(reservingBytes: rows * 36)
            policyVersion = PostgresArray(reservingBytes: rows * 8)
            verdict = PostgresArray(reservingBytes: rows * 16)
            score = PostgresArray(reservingBytes: rows * 8)
            findingCodes = PostgresArray(reservingBytes: rows * 68)
            newestResultAt = PostgresArray(reservingBytes: rows * 12)
            assessment = PostgresArray(reservingBytes: documentBytes)
            etag = PostgresArray(reservingBytes: rows * 24)
            updatedAt = PostgresArray(reservingBytes: rows * 12)
            mos = PostgresArray(reservingBytes: rows * 12)
            transport = PostgresArray(reservingBytes: rows * 24)
            for refresh in refreshes {
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
    /// verdict change first, then findings by code, as the per-upload path writes them.
    struct ChangeColumns {
        var siteID = PostgresArray<UUID>()
        var at = PostgresArray<Date>()
        var runID = PostgresArray<UUID>()
        var kind = PostgresArray<String>()
        var code = PostgresArray<String>()
        var ruleID = PostgresArray<String>()
        var fromVerdict = PostgresArray<String>()
        var toVerdict = PostgresArray<String>()
        var fromStatus = PostgresArray<String>()
        var toStatus = PostgresArray<String>()

        init(_ refreshes: [SiteRefresh]) {
            for refresh in refreshes {
                let site = refresh.stored.siteID, at = refresh.stored.updatedAt
                if let verdict = refresh.changes.verdict {
                    append(site, at, refresh.runID, kind: "verdict_changed", code: verdict.code, ruleID: nil,
                           verdicts: (verdict.from?.rawValue, verdict.to.rawValue), statuses: (nil, nil))
                }
                for finding in refresh.changes.findings {
                    append(site, at, refresh.runID, kind: "finding_" + finding.change.rawValue, code: finding.code,
                           ruleID: finding.ruleID, verdicts: (nil, nil), statuses: (finding.from?.rawValue, finding.to?.rawValue))
                }
            }
        }

        private mutating func append(
            _ site: UUID, _ time: Date, _ run: UUID?, kind: String, code: String, ruleID: String?,
            verdicts: (String?, String?), statuses: (String?, String?)
        ) {
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
