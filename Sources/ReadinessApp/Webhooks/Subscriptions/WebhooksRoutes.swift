import Foundation
import HTTPServer

/// `/v1/webhooks` and `/v1/webhooks/{webhook_id}`: create, list, read, change (merge patch),
/// delete subscriptions, and rotate a secret. Admin only. The delivery's operations (test,
/// deliveries, redeliver) register in a file of their own. URLs, secrets and routing keys are
/// never logged: a URL may be a secret itself (a Slack incoming webhook's is).
struct WebhooksRoutes: Sendable {
    let context: AppContext

    private var store: WebhookStore { WebhookStore(database: context.database) }
    private var destinations: WebhookDestinationCheck {
        WebhookDestinationCheck(policy: WebhookDestinationPolicy(allowPrivate: context.configuration.webhooks.allowPrivateDestinations))
    }

    func register(on router: inout APIRouter) {
        router.post("/v1/webhooks", access: .admin) { request, principal, _ in try await create(request, by: principal) }
        router.get("/v1/webhooks", access: .admin) { request, _, _ in try await list(request) }
        router.get("/v1/webhooks/{webhook_id}", access: .admin) { _, _, route in
            try APIJSON.response(try await existing(route.parameters["webhook_id"]))
        }
        router.patch("/v1/webhooks/{webhook_id}", access: .admin) { request, principal, route in
            try await update(route.parameters["webhook_id"], request, by: principal)
        }
        router.delete("/v1/webhooks/{webhook_id}", access: .admin) { _, principal, route in
            try await delete(route.parameters["webhook_id"], by: principal)
        }
        router.post("/v1/webhooks/{webhook_id}/rotate-secret", access: .admin) { request, principal, route in
            try await rotate(route.parameters["webhook_id"], request, by: principal)
        }
    }

    private func create(_ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let body = try ObjectBody(request)
        var reader = FieldReader()
        let input = WebhookInput.read(body, isPatch: false, into: &reader)
        try await checkReferences(of: input, into: &reader)
        try reader.throwIfFaulty()
        let format = input.format ?? .standard
        let secret: String
        switch format {
        case .standard: secret = try WebhookSecret.generate()
        case .pagerduty:
            guard let key = input.routingKey else { throw RequestBody.validationProblem([("/routing_key", "is required")]) }
            secret = key
        }
        let webhook = try await store.create(input, format: format, secret: secret, now: context.clock())
        context.logger.info("webhook created", metadata: [
            "webhook_id": "\(webhook.id)", "format": "\(format.rawValue)", "by_token_id": "\(principal.tokenID)",
        ])
        return try APIJSON.response(
            WebhookCreated(webhook: webhook, secret: format == .standard ? secret : nil), status: .created,
            headers: ["Location": "/v1/webhooks/\(webhook.id.apiString)"])
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = try PageRequest(request)
        let after = try page.after.map(SitesRoutes.cursorID)
        let rows = try await store.list(after: after, limit: page.limit)
        return try Page(fetched: rows, limit: page.limit) { $0.id.apiString }.response(for: request)
    }

    private func update(_ idText: String?, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let id = try await existing(idText).id
        let body = try ObjectBody(request)
        var reader = FieldReader()
        let input = WebhookInput.read(body, isPatch: true, into: &reader)
        try await checkReferences(of: input, into: &reader)
        try reader.throwIfFaulty()
        guard let webhook = try await store.update(id, with: input, now: context.clock()) else { throw Self.notFound(idText) }
        context.logger.info("webhook changed", metadata: ["webhook_id": "\(id)", "by_token_id": "\(principal.tokenID)"])
        return try APIJSON.response(webhook)
    }

    private func delete(_ idText: String?, by principal: Principal) async throws -> HTTPResponse {
        guard let idText, let id = UUID(uuidString: idText), try await store.delete(id) else { throw Self.notFound(idText) }
        context.logger.info("webhook deleted", metadata: ["webhook_id": "\(id)", "by_token_id": "\(principal.tokenID)"])
        return HTTPResponse(status: .noContent)
    }

    /// `standard`: a new signing secret, answered once; the old one signs beside it for
    /// `overlap_s` (default a day). `pagerduty`: the body's `routing_key` replaces the old one.
    private func rotate(_ idText: String?, _ request: HTTPRequest, by principal: Principal) async throws -> HTTPResponse {
        let current = try await existing(idText)
        let body = request.body.isEmpty ? ObjectBody(members: []) : try ObjectBody(request)
        var reader = FieldReader()
        let now = context.clock()
        let rotated: Webhook?
        var secret: String?
        switch WebhookFormat(rawValue: current.format) {
        case .pagerduty:
            body.rejectUnknown(allowed: ["routing_key"], into: &reader, detail: "is not a member of a pagerduty rotation")
            if body["routing_key"] == nil { reader.fault("/routing_key", "is required: the new integration key") }
            let key = body["routing_key"].flatMap { WebhookInput.readRoutingKey($0, into: &reader) }
            try reader.throwIfFaulty()
            guard let key else { throw RequestBody.validationProblem([("/routing_key", "is required")]) }
            rotated = try await store.replaceRoutingKey(current.id, with: key, now: now)
        case .standard, nil:
            body.rejectUnknown(allowed: ["overlap_s"], into: &reader, detail: "is not a member of a secret rotation")
            let range = WebhookSecret.overlapRange
            let overlap = reader.integer(body["overlap_s"], at: "/overlap_s", in: range).value ?? WebhookSecret.defaultOverlapS
            try reader.throwIfFaulty()
            let generated = try WebhookSecret.generate()
            secret = generated
            rotated = try await store.rotateSigningSecret(current.id, to: generated, overlapS: overlap, now: now)
        }
        guard let rotated else { throw Self.notFound(idText) }
        context.logger.info("webhook secret rotated", metadata: ["webhook_id": "\(rotated.id)", "by_token_id": "\(principal.tokenID)"])
        return try APIJSON.response(WebhookCreated(webhook: rotated, secret: secret))
    }

    /// The checks that need I/O: the URL's addresses (SSRF) and the filtered sites' existence.
    private func checkReferences(of input: WebhookInput, into reader: inout FieldReader) async throws {
        if let url = input.url, let refusal = await destinations.refusal(for: url) {
            reader.fault("/url", refusal.description)
        }
        if case .some(.some(let ids)) = input.filters.siteIDs {
            let unknown = try await store.unknownSites(ids)
            for (index, id) in ids.enumerated() where unknown.contains(id) {
                reader.fault("/filters/site_ids/\(index)", "no such site")
            }
        }
    }

    private func existing(_ idText: String?) async throws -> Webhook {
        guard let idText, let id = UUID(uuidString: idText), let webhook = try await store.find(id) else {
            throw Self.notFound(idText)
        }
        return webhook
    }

    private static func notFound(_ idText: String?) -> HTTPError {
        HTTPError(status: .notFound, detail: "no webhook '\((idText ?? "").prefix(64))' exists", problem: ProblemTypes.notFound)
    }
}
