import Foundation
import HTTPServer

/// The services the agent's bandwidth and gateway probes talk to:
/// `GET /v1/probe/download`, `POST /v1/probe/upload` (agent or admin) and
/// `GET /v1/probe/websocket` (no token: it carries no data). The UDP reflector is
/// ``ProbeReflector``.
struct ProbeRoutes: Sendable {
    let context: AppContext
    let payload = DownloadPayload()

    func register(on router: inout APIRouter) {
        router.get("/v1/probe/download", access: ProbeAccess.runners) { [payload] request, _, _ in
            let count = try Self.downloadBytes(request)
            let body = try payload.bytes(count: count)
            return HTTPResponse(
                status: .ok,
                // no-store: a cache between agent and server would turn a bandwidth test into a
                // cache-speed test (RFC 9111 §5.2.2.5). no-transform: no proxy may compress it.
                headers: ["Content-Type": "application/octet-stream", "Cache-Control": "no-store, no-transform"],
                body: body)
        }
        // Up to 64 MiB: whoever may not run the probe is refused before the body is read.
        router.on(.post, "/v1/probe/upload", access: ProbeAccess.runners, largeBodyLimit: ProbeLimits.maxTransferBytes) { request, _, _ in
            // The body is discarded; only its size is the answer.
            try APIJSON.response(UploadReceipt(bytes: request.body.count))
        }
        // Open: the echo carries no data.
        router.router.get("/v1/probe/websocket") { request, _ throws -> HTTPResponse in
            try WebSocketHandshake.respond(to: request)
        }
    }

    /// `bytes`, 1…64 MiB; the plan's download size when absent.
    static func downloadBytes(_ request: HTTPRequest) throws -> Int {
        guard let text = request.query["bytes"] else { return ProbeLimits.defaultDownloadBytes }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let count = Int(text),
            (1...ProbeLimits.maxTransferBytes).contains(count)
        else {
            throw RequestBody.validationProblem([("/query/bytes", "must be a whole number from 1 to \(ProbeLimits.maxTransferBytes)")])
        }
        return count
    }
}

/// What `POST /v1/probe/upload` answers.
struct UploadReceipt: Encodable, Sendable {
    var bytes: Int
}
