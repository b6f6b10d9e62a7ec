import Foundation
import ReadinessContract
import ReadinessScoring

/// Stages 3 and 4, evaluate and prepare: every result scored against the site's policy and
/// turned into the bytes its rows will hold, before it queues (off the database thread).
extension ResultIngest {
    /// 409 for an archived site; otherwise every result evaluated and prepared for the writer.
    func prepare(_ received: Received, site: SiteRecord, policy: Policy) throws -> PreparedUpload {
        guard site.archivedAt == nil else { throw UploadRejection.siteArchived(received.siteID) }
        let decoded = received.decoded
        let prepared = try decoded.results.enumerated().map { index, result in
            try PreparedResult(result, evaluation: policy.evaluate(result, site: site.parameters),
                               pointerPrefix: decoded.wasBatch ? "/results/\(index)" : "")
        }
        var upload = PreparedUpload(
            siteID: received.siteID, agentID: received.principal.agentID, site: site.parameters, policy: policy,
            results: prepared, wasBatch: decoded.wasBatch, receivedAt: received.now)
        upload.resultBudget = context.configuration.limits.resultBudget(intervalS: AgentPlan.intervalS)
        upload.deadline = received.deadline
        return upload
    }
}
