import Foundation
import HTTPServer

/// `/v1/sites/{site_id}/agents` and `/v1/agents/{agent_id}`: register an agent (its token is
/// returned once), list a site's agents, revoke one.
struct AgentsRoutes: Sendable {
    let context: AppContext

    private var store: AgentStore { AgentStore(database: context.database) }

    func register(on router: inout APIRouter) {
        router.post("/v1/sites/{site_id}/agents", access: .admin) { request, principal, route in
            try await create(route.parameters["site_id"], request, by: principal)
        }
        // Any token: an agent asking about another site is told it does not exist (SiteAccess).
        router.get("/v1/sites/{site_id}/agents", access: .anyToken) { request, principal, route in
            try await list(route.parameters["site_id"], request, by: principal)
        }
        router.delete("/v1/agents/{agent_id}", access: .admin) { _, _, route in
            try await revoke(route.parameters["agent_id"])
        }
    }

    private func create(_ siteText: String?, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let site = try await context.writableSite(siteText, by: principal)
        let body = try ObjectBody(request)
        var reader = FieldReader()
        let name = reader.string(body["name"], at: "/name", lengths: 1...255)
        if case .absent = name { reader.fault("/name", "is required") }
        body.rejectUnknown(allowed: ["name"], into: &reader, detail: "is not a member of an agent")
        try reader.throwIfFaulty()
        switch try await store.create(site: site.id, name: name.value ?? "", now: context.clock()) {
        case .created(let agent, let token):
            context.logger.info("agent registered", metadata: ["agent_id": "\(agent.id)", "site_id": "\(site.id)"])
            return try APIJSON.response(AgentCreated(agent: agent, token: token), status: .created)
        case .siteNotFound: throw SiteNotFound(siteText)
        case .siteArchived(let at): throw SiteProblems.archived(site.id, at: at)
        }
    }

    private func list(_ siteText: String?, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let site = try await context.readableSite(siteText, by: principal, for: request)
        let page = try PageRequest(request)
        let after = try page.after.map(SitesRoutes.cursorID)
        let rows = try await store.list(site: site.id, after: after, limit: page.limit)
        return try Page(fetched: rows, limit: page.limit) { $0.id.apiString }.response(for: request)
    }

    private func revoke(_ idText: String?) async throws -> HTTPResponse {
        guard let idText, let id = UUID(uuidString: idText), try await store.revoke(id, now: context.clock()) else {
            throw HTTPError(status: .notFound, detail: "no agent '\((idText ?? "").prefix(64))' exists", problem: ProblemTypes.notFound)
        }
        context.logger.info("agent revoked", metadata: ["agent_id": "\(id)"])
        return HTTPResponse(status: .noContent)
    }
}
