import Foundation
import HTTPServer

/// `/v1/sites`: create, list, read, change (merge patch), archive, and choose a site's policy.
struct SitesRoutes: Sendable {
    let context: AppContext

    private var store: SiteStore { SiteStore(database: context.database) }

    func register(on router: inout APIRouter) {
        router.post("/v1/sites", access: .admin) { request, _, _ in try await create(request) }
        router.get("/v1/sites", access: .read) { request, _, _ in try await list(request) }
        // Any token: an agent asking about another site is told it does not exist (SiteAccess).
        router.get("/v1/sites/{site_id}", access: .anyToken) { request, principal, route in
            let site = try await context.readableSite(route.parameters["site_id"], by: principal, for: request)
            return try APIJSON.response(SiteResponse(site))
        }
        router.patch("/v1/sites/{site_id}", access: .admin) { request, principal, route in
            try await update(route.parameters["site_id"], request, by: principal)
        }
        router.delete("/v1/sites/{site_id}", access: .admin) { _, _, route in
            try await archive(route.parameters["site_id"])
        }
        router.put("/v1/sites/{site_id}/policy", access: .admin) { request, principal, route in
            try await setPolicy(route.parameters["site_id"], request, by: principal)
        }
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let changes = try await SiteChanges.read(request, isPatch: false, policies: context.policies)
        let site = try await store.insert(SiteRecord(id: UUID(), creating: changes, now: context.clock()))
        return try APIJSON.response(SiteResponse(site), status: .created, headers: ["Location": "/v1/sites/\(site.id.apiString)"])
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = try PageRequest(request)
        let filter = try SiteListFilter(request.query)
        let after = try page.after.map(Self.cursorID)
        let rows = try await store.list(filter, after: after, limit: page.limit, now: context.clock())
        return try Page(fetched: rows.map(SiteResponse.init), limit: page.limit) { $0.record.id.apiString }.response(for: request)
    }

    private func update(_ idText: String?, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let site = try await context.writableSite(idText, by: principal)
        let changes = try await SiteChanges.read(request, isPatch: true, policies: context.policies)
        return try await answer(store.update(site.id, with: changes, now: context.clock()), site.id)
    }

    private func setPolicy(_ idText: String?, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let site = try await context.writableSite(idText, by: principal)
        let body = try ObjectBody(request)
        var reader = FieldReader()
        let policy = PolicyReference.read(.object(body.members), at: "", into: &reader)
        if let policy { try await policy.checkExists(in: context.policies, at: "", into: &reader) }
        try reader.throwIfFaulty()
        var changes = SiteChanges()
        changes.policy = policy
        return try await answer(store.update(site.id, with: changes, now: context.clock()), site.id)
    }

    private func archive(_ idText: String?) async throws -> HTTPResponse {
        guard let idText, let id = UUID(uuidString: idText), try await store.archive(id, now: context.clock()) else {
            throw SiteNotFound(idText)
        }
        return HTTPResponse(status: .noContent)
    }

    /// The lock in ``SiteStore/update(_:with:now:)`` decides: the site may have been archived
    /// since the check before validation.
    private func answer(_ outcome: SiteStore.Outcome, _ id: UUID) throws -> HTTPResponse {
        switch outcome {
        case .done(let site):
            // The change may have scored the site's assessment again: this replica reloads it.
            context.assessments.invalidate(site.id)
            return try APIJSON.response(SiteResponse(site))
        case .notFound: throw SiteNotFound(id.apiString)
        case .archived(let at): throw SiteProblems.archived(id, at: at)
        }
    }

    /// Cursors of this list carry a site id; anything else was not issued here.
    static func cursorID(_ key: String) throws -> UUID {
        guard let id = UUID(uuidString: key) else {
            throw RequestBody.validationProblem([("/query/cursor", "is not a cursor this service issued")])
        }
        return id
    }
}
