import Foundation
import HTTPServer
import ReadinessContract
import ReadinessScoring
import SystemCrypto

/// One validated result with everything the writer needs, computed before it queues: the
/// database thread only runs SQL.
package struct PreparedResult: Sendable {
    let result: ProbeResult
    /// Canonical JSON: what is stored and what GET returns; its SHA-256 is the idempotency check.
    let canonical: [UInt8]
    let contentHash: [UInt8]
    let evaluation: ResultEvaluation
    /// What `results.evaluation` stores: the evaluation's compact form (`CompactEvaluation`).
    let storedEvaluation: [UInt8]
    /// What `results.window_entry` stores (`WindowEntry`): the run as a site window needs it.
    let windowEntry: String?
    /// Where the result sits in the request body, for pointers (`/results/3/run_id`).
    let pointerPrefix: String

    package init(_ result: ProbeResult, evaluation: ResultEvaluation, pointerPrefix: String) throws {
        self.result = result
        canonical = result.canonicalJSONBytes()
        contentHash = Digest.sha256(canonical)
        self.evaluation = evaluation
        storedEvaluation = try CompactEvaluation(evaluation).jsonBytes()
        windowEntry = WindowEntry.text(of: evaluation.observations, hostname: result.agent.hostname)
        self.pointerPrefix = pointerPrefix
    }
}

/// One request's upload: the agent's site (never chosen by the result), its policy, and the
/// results in request order.
package struct PreparedUpload: Sendable {
    let siteID: UUID
    let agentID: UUID?
    let site: SiteParameters
    let policy: Policy
    let results: [PreparedResult]
    let wasBatch: Bool
    let receivedAt: Date
    /// The agent's result budget, charged in the upload's transaction; nil: unlimited.
    var resultBudget: RateBudget? = nil
    /// Past it the upload is dropped if it is still queued: the client was answered 503.
    var deadline: RequestDeadline? = nil

    package init(siteID: UUID, agentID: UUID?, site: SiteParameters, policy: Policy, results: [PreparedResult],
                 wasBatch: Bool, receivedAt: Date) {
        self.siteID = siteID
        self.agentID = agentID
        self.site = site
        self.policy = policy
        self.results = results
        self.wasBatch = wasBatch
        self.receivedAt = receivedAt
    }
}
