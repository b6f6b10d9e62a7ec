import Foundation
import HTTPServer
import ReadinessDomain

/// The upload pipeline: authenticate, decode and validate, evaluate against the site's policy
/// (all before queueing, off the database thread), then hand the work to the group-commit
/// writer and answer with its outcome.
struct ResultIngest: Sendable {
    let context: AppContext
    let writer: GroupCommitWriter
    let partitions: ResultPartitions
    let sites: UploadSiteCache

    init(context: AppContext) {
        self.context = context
        writer = GroupCommitWriter(database: context.database)
        partitions = ResultPartitions(database: context.database)
        sites = UploadSiteCache(directory: context.sites, policies: context.policies)
    }

    func upload(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await context.authenticator.require(.agent, for: request)
        guard let siteID = principal.siteID else {
            throw HTTPError(status: .forbidden, detail: "only an agent token may upload results", type: ProblemTypes.forbidden)
        }
        let bytes = try UploadBody.bytes(of: request)
        let now = context.clock()
        let decoded = try Self.decode(bytes, now: now)
        return try await DatabaseErrors.mapped {
            let (site, policy) = try await sites.site(siteID, now: now)
            guard site.archivedAt == nil else { throw UploadRejection.siteArchived(siteID).httpError }
            let prepared = try decoded.results.enumerated().map { index, result in
                try PreparedResult(result, evaluation: policy.evaluate(result, site: site.parameters),
                                   pointerPrefix: decoded.wasBatch ? "/results/\(index)" : "")
            }
            try await partitions.ensure(for: decoded.results.map(\.startedAt))
            let upload = PreparedUpload(
                siteID: siteID, agentID: principal.agentID, site: site.parameters, policy: policy,
                results: prepared, wasBatch: decoded.wasBatch, receivedAt: now)
            let outcomes = try await writer.submit(upload).get()
            // Read-your-writes on this replica: the next GET of this site's assessment reloads.
            context.assessments.invalidate(siteID)
            let status: HTTPStatus = outcomes.contains { $0.status == .created } ? .created : .ok
            let body = decoded.wasBatch ? UploadBatchOutcome(results: outcomes).jsonBytes() : outcomes[0].jsonBytes()
            guard let body else {
                if decoded.wasBatch { return try APIJSON.response(UploadBatchOutcome(results: outcomes), status: status) }
                return try APIJSON.response(outcomes[0], status: status)
            }
            return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
        }
    }

    /// 400 for bytes that are not JSON at all, 422 naming every bad field otherwise.
    static func decode(_ bytes: [UInt8], now: Date) throws -> DecodedUpload {
        switch ProbeResultDecoder.decode(bytes, now: now) {
        case .success(let upload):
            return upload
        case .failure(let failure):
            if let first = failure.faults.first, first.pointer.isEmpty, first.message.hasPrefix("is not valid JSON") {
                throw HTTPError(
                    status: .badRequest, detail: "the body \(first.message)", type: ProblemTypes.invalidRequest,
                    title: "Bad request")
            }
            var problem = RequestBody.validationProblem(failure.faults.map { ($0.pointer, $0.message) })
            problem.detail = (problem.detail ?? "") + "; nothing was stored"
            throw problem
        }
    }
}
