import Foundation
import HTTPServer
import ReadinessContract
import ReadinessScoring

/// `POST /v1/results`, one staged pipeline with one path through it:
///
/// 1. receive: the agent's token (`requireFromCache`, else `require`) and the body's bytes
///    (`ResultIngest+Receive`: 403, 415, 413)
/// 2. decode: probe-result/v1, strictly, and the retention check (`ResultIngest+Receive`: 400, 422)
/// 3. evaluate: the site and its policy (`UploadSiteCache`), every result scored against it
///    (`ResultIngest+Prepare`: 409 for an archived site)
/// 4. prepare: the rows' bytes computed off the database thread (`PreparedUpload`), the months'
///    partitions there (`ResultPartitions`)
/// 5. group commit: queued by site onto a commit lane (`GroupCommitWriter`), written with
///    others in one transaction (`GroupCommitWriter+WriteGroup`: set-based, else the savepoint
///    fallback; `PostgresResultStore`, `SetBasedRows`)
/// 6. refresh assessment: once per site per group, from the lane's remembered window
///    (`SiteAssessmentUpdater+Group`, `SiteWindowCache`, `SiteWindowLoader`), written in the
///    group's statement (`SiteRefresh`); change rows wake the webhook outbox (`OutboxDoorbell`)
/// 7. answer: 201 or 200 with the outcomes, from the writer's thread (`ResultIngest+Answer`)
///
/// The route is a deferred one (`Router.on(_:_:deferred:)`): the stages start on the event
/// loop. Three lookups may have to wait (a token, a site, the partitions not cached yet), and
/// a large or compressed body is too much work for the loop; then the same stages continue in
/// a Task from that point, awaiting what they need. Either way the commit's completion answers
/// from the writer's thread, so a cached upload costs no Task at all: two thread hops (loop →
/// writer → loop) instead of an async route's four. That split, the loop's cached lookups
/// beside the Task's awaited ones, is the one twin kept, for that speed.
struct ResultIngest: Sendable {
    let context: AppContext
    let writer: GroupCommitWriter
    let partitions: ResultPartitions
    let sites: UploadSiteCache

    /// Which way an upload went through ``upload(_:deadline:answer:)``, and what a Task waited for.
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

    /// The deferred handler: runs on the event loop, must not wait. At the first stage that
    /// would wait, the rest continues in a Task (``continueInTask(_:from:_:deadline:)``).
    func upload(_ request: HTTPRequest, deadline: RequestDeadline? = nil, answer sink: ResponseSink) {
        do {
            guard Self.fitsInline(request) else {
                return continueInTask(.largeOrCompressedBody, from: .request(request), sink, deadline: deadline)
            }
            guard let principal = try context.authenticator.requireFromCache(.agent, for: request) else {
                return continueInTask(.waitedForToken, from: .request(request), sink, deadline: deadline)
            }
            let received = try receive(request, from: principal, deadline: deadline)
            guard let (site, policy) = sites.cachedSite(received.siteID, now: received.now) else {
                return continueInTask(.waitedForSite, from: .received(received), sink, deadline: deadline)
            }
            let prepared = try prepare(received, site: site, policy: policy)
            guard partitions.areKnown(for: received.decoded.results.map(\.startedAt)) else {
                return continueInTask(.waitedForPartitions, from: .prepared(prepared, received), sink, deadline: deadline)
            }
            observer?(.inline)
            commit(prepared, received, answering: sink)
        } catch {
            observer?(.inline)
            sink.fail(error)
        }
    }

    /// Where a Task picks the stages up: after the stage that could not finish on the loop.
    private enum Resumption: Sendable {
        case request(HTTPRequest)
        case received(Received)
        case prepared(PreparedUpload, Received)
    }

    /// The stages from `point` on, awaiting the lookups the loop could not wait for, then the
    /// same commit and answer as on the loop.
    private func continueInTask(_ path: Path, from point: Resumption, _ sink: ResponseSink, deadline: RequestDeadline?) {
        observer?(path)
        let task = Task {
            do {
                let (prepared, received) = try await prepareWaiting(from: point, deadline: deadline)
                try await partitions.ensure(for: received.decoded.results.map(\.startedAt))
                commit(prepared, received, answering: sink)
            } catch {
                sink.fail(error)
            }
        }
        // Nobody waits for the answer past the deadline (the sink gave 503): stop waiting for
        // a token, a site or partitions.
        deadline?.onExpire { task.cancel() }
    }

    /// Stages 1 to 3 from `point` on, awaiting the token and the site.
    private func prepareWaiting(from point: Resumption, deadline: RequestDeadline?) async throws -> (PreparedUpload, Received) {
        switch point {
        case .prepared(let upload, let received):
            return (upload, received)
        case .received(let received):
            let (site, policy) = try await sites.site(received.siteID, now: received.now)
            return (try prepare(received, site: site, policy: policy), received)
        case .request(let request):
            let principal = try await context.authenticator.require(.agent, for: request)
            let received = try receive(request, from: principal, deadline: deadline)
            return try await prepareWaiting(from: .received(received), deadline: deadline)
        }
    }
}
