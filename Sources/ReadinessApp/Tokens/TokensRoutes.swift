import JSON
import Foundation
import HTTPServer

/// `/v1/tokens`: issue, list and revoke tokens for the portal and ticketing systems (agent
/// tokens come with their agent). Admin only. Tokens and bodies are never logged.
struct TokensRoutes: Sendable {
    let context: AppContext

    private var directory: TokenDirectory { TokenDirectory(database: context.database) }

    func register(on router: inout APIRouter) {
        router.post("/v1/tokens", access: .admin) { request, principal, _ in try await create(request, by: principal) }
        router.get("/v1/tokens", access: .admin) { request, _, _ in try await list(request) }
        router.delete("/v1/tokens/{token_id}", access: .admin) { _, principal, route in
            try await revoke(route.parameters["token_id"], by: principal)
        }
    }

    private func create(_ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let body = try ObjectBody(request)
        let now = context.clock()
        var reader = FieldReader()
        let name = reader.string(body["name"], at: "/name", lengths: 1...255)
        if case .absent = name { reader.fault("/name", "is required") }
        var scope: Scope?
        switch reader.string(body["scope"], at: "/scope", lengths: 1...16) {
        case .absent: reader.fault("/scope", "is required")
        case .value(let text) where text == Scope.admin.rawValue || text == Scope.read.rawValue: scope = Scope(rawValue: text)
        case .value: reader.fault("/scope", "must be one of \"admin\", \"read\" (agent tokens come with POST /v1/sites/{site_id}/agents)")
        case .null, .invalid: break
        }
        var expiresAt: Date?
        if case .value(let text) = reader.string(body["expires_at"], at: "/expires_at", lengths: 1...64, nullable: true) {
            if let date = RFC3339Timestamp.parse(text) {
                if date > now { expiresAt = date } else { reader.fault("/expires_at", "must be in the future") }
            } else {
                reader.fault("/expires_at", "must be an RFC 3339 date-time")
            }
        }
        body.rejectUnknown(allowed: ["name", "scope", "expires_at"], into: &reader, detail: "is not a member of a token request")
        try reader.throwIfFaulty()
        guard let name = name.value, let scope else { throw RequestBody.validationProblem([("", "is invalid")]) }
        let created = try await directory.create(name: name, scope: scope, expiresAt: expiresAt, now: now)
        context.logger.info("token created", metadata: [
            "token_id": "\(created.tokenInfo.id)", "scope": "\(scope.rawValue)", "by_token_id": "\(principal.tokenID)",
        ])
        return try APIJSON.response(created, status: .created)
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = try PageRequest(request)
        let after = try page.after.map(SitesRoutes.cursorID)
        let rows = try await directory.list(after: after, limit: page.limit)
        return try Page(fetched: rows, limit: page.limit) { $0.id.apiString }.response(for: request)
    }

    private func revoke(_ idText: String?, by principal: Principal) async throws -> HTTPResponse {
        guard let idText, let id = UUID(uuidString: idText), try await directory.revoke(id, now: context.clock()) else {
            throw HTTPError(status: .notFound, detail: "no token '\((idText ?? "").prefix(64))' exists", problem: ProblemTypes.notFound)
        }
        context.logger.info("token revoked", metadata: ["token_id": "\(id)", "by_token_id": "\(principal.tokenID)"])
        return HTTPResponse(status: .noContent)
    }
}
