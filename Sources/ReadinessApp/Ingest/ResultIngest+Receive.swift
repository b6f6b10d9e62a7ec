import Foundation
import HTTPServer
import ReadinessContract

/// Stages 1 and 2, receive and decode: who sent the upload, and what it says.
extension ResultIngest {
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

    /// 403 for a token without a site, then the body's checks (415, 400, 413, 422).
    func receive(_ request: HTTPRequest, from principal: Principal, deadline: RequestDeadline?) throws -> Received {
        guard let siteID = principal.siteID else {
            throw HTTPError(status: .forbidden, detail: "only an agent token may upload results", problem: ProblemTypes.forbidden)
        }
        let bytes = try UploadBody.bytes(of: request)
        let now = context.clock()
        let decoded = try Self.decode(bytes, now: now)
        try context.configuration.retention?.requireKept(decoded, now: now)
        return Received(principal: principal, siteID: siteID, decoded: decoded, now: now, deadline: deadline)
    }

    /// Small enough to decode on the event loop, and not compressed (an inflated body may be
    /// up to 16 MiB).
    static func fitsInline(_ request: HTTPRequest) -> Bool {
        request.body.count <= inlineBodyLimit && request.headers["content-encoding"] == nil
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
