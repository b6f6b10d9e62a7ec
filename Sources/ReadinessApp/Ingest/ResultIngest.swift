import Foundation
import HTTPServer
import ReadinessContract
import ReadinessScoring

/// The upload pipeline: authenticate, decode and validate, evaluate against the site's policy
/// (all before queueing, off the database thread), then hand the work to the group-commit
/// writer and answer with its outcome.
///
/// Two ways through, with the same answers: ``upload(_:answer:)`` runs on the event loop and
/// answers from the writer's thread when everything it needs is cached (the token, the site
/// and its policy, the months' partitions) and the body is small and uncompressed; otherwise
/// it hands over to ``upload(_:)``, the same steps with waiting allowed, in a Task.
struct ResultIngest: Sendable {
    let context: AppContext
    let writer: GroupCommitWriter
    let partitions: ResultPartitions
    let sites: UploadSiteCache

    /// Largest body decoded on the event loop: a typical upload (one result is ~3 KB) is well
    /// within it, while a large batch, whose decoding would stall the loop's other connections
    /// for milliseconds, goes to a Task.
    static let inlineBodyLimit = 64 * 1024

    /// What the request said, once authenticated, read and decoded.
    struct Received: Sendable {
        let principal: Principal
        let siteID: UUID
        let decoded: DecodedUpload
        let now: Date
        /// The request's deadline: past it the upload is dropped if still queued (DeadlineExceeded).
        var deadline: RequestDeadline? = nil
    }

    /// Which way an upload went through ``upload(_:answer:)``, and what a Task waited for.
    enum Path: Sendable, Equatable {
        case inline
        case largeOrCompressedBody
        case waitedForToken
        case waitedForSite
        case waitedForPartitions
    }

    /// Told the path of every upload (tests); nil in the service.
    let observer: (@Sendable (Path) -> Void)?

    init(context: AppContext, observer: (@Sendable (Path) -> Void)? = nil) {
        self.context = context
        self.observer = observer
        writer = GroupCommitWriter(database: context.database, metrics: context.metrics.ingest, doorbell: context.outboxDoorbell)
        partitions = ResultPartitions(database: context.database)
        sites = UploadSiteCache(directory: context.sites, policies: context.policies)
    }

    /// The deferred handler: runs on the event loop, must not wait. Every step that could
    /// wait (a token, site or partition not cached yet) continues as ``upload(_:)`` would, from
    /// that step on, in a Task.
    func upload(_ request: HTTPRequest, deadline: RequestDeadline? = nil, answer sink: ResponseSink) {
        do {
            guard Self.fitsInline(request) else {
                return answerLater(sink, .largeOrCompressedBody, deadline) { try await upload(request, deadline: deadline) }
            }
            guard let principal = try context.authenticator.requireFromCache(.agent, for: request) else {
                return answerLater(sink, .waitedForToken, deadline) { try await upload(request, deadline: deadline) }
            }
            let received = try receive(request, from: principal, deadline: deadline)
            guard let (site, policy) = sites.cachedSite(received.siteID, now: received.now) else {
                return answerLater(sink, .waitedForSite, deadline) { try await store(received) }
            }
            let prepared = try prepare(received, site: site, policy: policy)
            guard partitions.areKnown(for: received.decoded.results.map(\.startedAt)) else {
                return answerLater(sink, .waitedForPartitions, deadline) {
                    try await partitions.ensure(for: received.decoded.results.map(\.startedAt))
                    return try await write(prepared, received)
                }
            }
            observer?(.inline)
            // Answered from the writer's thread: no task to wake on the way back.
            writer.submit(prepared, completion: { reply in finish(reply, received, sink) })
        } catch {
            observer?(.inline)
            sink.fail(error)
        }
    }

    /// On the writer's thread: the reply, or its failure as ``store(_:)`` would have thrown it
    /// (the responder's error translation makes an unreachable database a 503).
    private func finish(_ reply: Result<GroupCommitWriter.Reply, any Error>, _ received: Received, _ sink: ResponseSink) {
        let outcomes: [UploadOutcome]
        do {
            outcomes = try reply.get().get()
        } catch {
            return sink.fail(error)
        }
        do {
            sink.respond(try answer(outcomes, received))
        } catch {
            sink.fail(error)
        }
    }

    func upload(_ request: HTTPRequest, deadline: RequestDeadline? = nil) async throws -> HTTPResponse {
        let principal = try await context.authenticator.require(.agent, for: request)
        return try await store(try receive(request, from: principal, deadline: deadline))
    }

    /// 403 for a token without a site, then the body's checks (415, 400, 413, 422).
    private func receive(_ request: HTTPRequest, from principal: Principal, deadline: RequestDeadline?) throws -> Received {
        guard let siteID = principal.siteID else {
            throw HTTPError(status: .forbidden, detail: "only an agent token may upload results", problem: ProblemTypes.forbidden)
        }
        let bytes = try UploadBody.bytes(of: request)
        let now = context.clock()
        let decoded = try Self.decode(bytes, now: now)
        try context.configuration.retention?.requireKept(decoded, now: now)
        return Received(principal: principal, siteID: siteID, decoded: decoded, now: now, deadline: deadline)
    }

    private func store(_ received: Received) async throws -> HTTPResponse {
        let (site, policy) = try await sites.site(received.siteID, now: received.now)
        let upload = try prepare(received, site: site, policy: policy)
        try await partitions.ensure(for: received.decoded.results.map(\.startedAt))
        return try await write(upload, received)
    }

    /// 409 for an archived site; otherwise every result evaluated and prepared for the writer.
    private func prepare(_ received: Received, site: SiteRecord, policy: Policy) throws -> PreparedUpload {
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

    private func write(_ upload: PreparedUpload, _ received: Received) async throws -> HTTPResponse {
        try answer(try await writer.submit(upload).get(), received)
    }

    /// The answer to a committed upload: 201 when any result is new, else 200.
    private func answer(_ outcomes: [UploadOutcome], _ received: Received) throws -> HTTPResponse {
        // Read-your-writes on this replica: the next GET of this site's assessment reloads.
        context.assessments.invalidate(received.siteID)
        let status: HTTPStatus = outcomes.contains { $0.status == .created } ? .created : .ok
        let wasBatch = received.decoded.wasBatch
        let body = wasBatch ? UploadBatchOutcome(results: outcomes).jsonBytes() : outcomes[0].jsonBytes()
        guard let body else {
            if wasBatch { return try APIJSON.response(UploadBatchOutcome(results: outcomes), status: status) }
            return try APIJSON.response(outcomes[0], status: status)
        }
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    /// Small enough to decode on the event loop, and not compressed (an inflated body may be
    /// up to 16 MiB).
    private static func fitsInline(_ request: HTTPRequest) -> Bool {
        request.body.count <= inlineBodyLimit && request.headers["content-encoding"] == nil
    }

    /// Continues in a Task, answering through `sink` as an async handler would.
    private func answerLater(_ sink: ResponseSink, _ path: Path, _ deadline: RequestDeadline?,
                             _ work: @escaping @Sendable () async throws -> HTTPResponse) {
        observer?(path)
        let task = Task {
            do {
                sink.respond(try await work())
            } catch {
                sink.fail(error)
            }
        }
        // Nobody waits for the answer past the deadline (the sink gave 503): stop waiting for
        // a token, a site or partitions.
        deadline?.onExpire { task.cancel() }
    }

    /// 400 for bytes that are not JSON at all (naming the byte offset), 422 naming every bad
    /// field otherwise (a repeated member name and U+0000 in a string included), as
    /// ``RequestBody`` answers other bodies.
    static func decode(_ bytes: [UInt8], now: Date) throws -> DecodedUpload {
        switch ProbeResultDecoder.decode(bytes, now: now) {
        case .success(let upload):
            return upload
        case .failure(let failure):
            if let first = failure.faults.first, first.pointer.isEmpty, first.message.hasPrefix("is not valid JSON") {
                throw HTTPError(
                    status: .badRequest, detail: "the body \(first.message)", problem: ProblemTypes.invalidRequest)
            }
            var problem = RequestBody.validationProblem(failure.faults.map { ($0.pointer, $0.message) })
            problem.detail = (problem.detail ?? "") + "; nothing was stored"
            throw problem
        }
    }
}
