import ReadinessContract
import HTTPClient
import Foundation
import Sockets
import SystemClock

/// The agent's side of the API: its plan, and result uploads (`POST /v1/results`).
///
/// Own HTTP/1.1 over the socket layer (with TLS and proxies as the probes use them), so a
/// failure is classified exactly: nothing answered (unreachable: spool and retry) versus an
/// answer that refuses the token (stop).
struct ServiceClient: Sendable {
    let server: ServerURL
    let token: String
    let dialer: StreamDialer
    var timeout: Duration = .seconds(30)

    struct PlanAnswer: Sendable {
        let plan: AgentPlan
        /// The answer carried `Via` (RFC 9110 §7.6.3) though no proxy is configured: a
        /// transparent proxy sits on the path.
        let viaTransparentProxy: Bool
    }

    func fetchPlan() async throws -> PlanAnswer {
        let response = try await exchange("GET", "/v1/agent/plan", body: nil)
        try Self.checkAuthorization(response)
        guard response.status == 200 else { throw Self.unexpected(response, doing: "fetching the plan") }
        let plan: AgentPlan
        do {
            plan = try AgentPlan.decode(response.body)
        } catch let error as AgentPlan.Unrunnable {
            throw AgentFailure.planUnrunnable(error.description)
        }
        let via = response.response.header("Via") != nil && response.proxy == nil
        return PlanAnswer(plan: plan, viaTransparentProxy: via)
    }

    /// What the service said about each uploaded result (`run_id` → `created`/`duplicate`),
    /// and the first result's verdict for the progress line.
    struct UploadAnswer: Sendable {
        let status: Int
        let verdict: String?
    }

    /// Uploads one canonical result body, or several as `{"results": [...]}`.
    func upload(_ documents: [Data]) async throws -> UploadAnswer {
        let body: Data
        if documents.count == 1, let only = documents.first {
            body = only
        } else {
            body = Data("{\"results\":[".utf8) + documents.joined(separator: Data(",".utf8)) + Data("]}".utf8)
        }
        let response = try await exchange("POST", "/v1/results", body: [UInt8](body))
        try Self.checkAuthorization(response)
        switch response.status {
        case 200, 201:
            return UploadAnswer(status: response.status, verdict: Self.verdict(in: response.body))
        case 409, 413, 422:
            throw AgentFailure.resultRejected("HTTP \(response.status) \(Self.problemDetail(response.body))")
        default:
            throw Self.unexpected(response, doing: "uploading")
        }
    }

    struct Exchange: Sendable {
        let response: HTTPClientResponse
        let proxy: ProxyEndpoint?
        var status: Int { response.status }
        var body: [UInt8] { response.body }
    }

    /// One request on a fresh connection, on a dedicated thread; transport failures become
    /// ``AgentFailure/serverUnreachable(_:)``.
    private func exchange(_ method: String, _ path: String, body: [UInt8]?) async throws -> Exchange {
        let server = server, token = token, dialer = dialer, timeout = timeout
        do {
            return try await DedicatedThread.run(name: "agent-api") {
                let deadline = MonotonicTime.now() + timeout
                let connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: deadline)
                defer { connection.close() }
                var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json"), ("Connection", "close")]
                if body != nil { headers.append(("Content-Type", "application/json")) }
                try connection.sendRequest(method, server.path(path), headers: headers, body: body, deadline: deadline)
                let response = try connection.readResponse(method: method, deadline: deadline)
                return Exchange(response: response, proxy: connection.opened.proxy)
            }
        } catch let error as AgentFailure {
            throw error
        } catch {
            throw AgentFailure.serverUnreachable("\(server): \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let socket = error as? SocketError, socket.kind == .timedOut { return "timed out (\(socket.operation))" }
        return String(describing: error)
    }

    private static func checkAuthorization(_ response: Exchange) throws {
        if response.status == 401 { throw AgentFailure.revokedOrWrong }
        if response.status == 403 { throw AgentFailure.tokenRejected("token rejected (not an agent token)") }
    }

    /// Anything else: a 5xx or a proxy's error page means the service is not there now; a 429
    /// or 503 that says when to come back is honoured to the second (RetryAfterMarker).
    private static func unexpected(_ response: Exchange, doing what: String) -> AgentFailure {
        if response.status == 429 || response.status == 503,
           let until = response.response.header("Retry-After").flatMap({ RetryAfter.moment($0, now: Date()) }) {
            return .backOff("HTTP \(response.status) while \(what)\(detailSuffix(response.body))", until: until)
        }
        return .serverUnreachable("HTTP \(response.status) while \(what)\(detailSuffix(response.body))")
    }

    private static func detailSuffix(_ body: [UInt8]) -> String {
        let detail = problemDetail(body)
        return detail.isEmpty ? "" : ": \(detail)"
    }

    /// RFC 9457 `detail` of a problem document (it names the fault, never our data).
    static func problemDetail(_ body: [UInt8]) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "" }
        var text = (object["detail"] as? String) ?? (object["title"] as? String) ?? ""
        if let errors = object["errors"] as? [[String: Any]] {
            let named = errors.prefix(5).compactMap { error -> String? in
                guard let pointer = error["pointer"] as? String else { return nil }
                return "\(pointer) \((error["detail"] as? String) ?? "")"
            }
            if !named.isEmpty { text += " (" + named.joined(separator: "; ") + ")" }
        }
        return text
    }

    private static func verdict(in body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        let first = (object["results"] as? [[String: Any]])?.first ?? object
        return (first["assessment"] as? [String: Any])?["verdict"] as? String
    }
}
