import Foundation
import HTTPServer

/// Stages 5 and 7 as the request sees them: the upload handed to the group-commit writer, and
/// the answer given from the writer's thread once its group committed (stage 6, the site's
/// assessment, happened inside that group).
extension ResultIngest {
    /// Queues `prepared`; its group's completion answers through `sink`, on the writer's thread
    /// (no task to wake on the way back).
    func commit(_ prepared: PreparedUpload, _ received: Received, answering sink: ResponseSink) {
        writer.submit(prepared, completion: { reply in finish(reply, received, sink) })
    }

    /// On the writer's thread: the answer, or the upload's failure (its own rejection, or the
    /// error that failed its group: the responder's error translation makes an unreachable
    /// database a 503).
    private func finish(_ reply: Result<GroupCommitWriter.Reply, any Error>, _ received: Received, _ sink: ResponseSink) {
        do {
            sink.respond(try answer(try reply.get().get(), received))
        } catch {
            sink.fail(error)
        }
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
}
