import Foundation
import HTTPServer
import JSON

/// `POST /v1/webhooks/{webhook_id}/test`, `GET /v1/webhooks/{webhook_id}/deliveries` and
/// `POST /v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver` (scope admin).
struct WebhookDeliveryRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        let log = WebhookDeliveryLog(database: context.database)

        router.post("/v1/webhooks/{webhook_id}/test", access: .admin) { [context] _, _, route in
            let webhook = try await Self.requireWebhook(route.parameters["webhook_id"], log: log)
            let deliverer = try WebhookDeliverer(
                database: context.database, settings: context.configuration.webhooks, metrics: context.metrics.webhooks,
                logger: context.logger, clock: context.clock)
            let summary = try await deliverer.ping(webhook: webhook)
            let attempts = try await log.page(webhook: webhook, before: nil, limit: 20)
            let delivery = summary?.attemptID.flatMap { id in attempts.first { $0.sequence == id } }
            return try APIJSON.response(WebhookTestOutcome(delivered: delivery?.outcome == "delivered", skipped: summary?.skipped ?? false, delivery: delivery))
        }

        router.get("/v1/webhooks/{webhook_id}/deliveries", access: .admin) { request, _, route in
            let page = try PageRequest(request)
            let before = try page.after(as: { Int($0) })
            let webhook = try await Self.requireWebhook(route.parameters["webhook_id"], log: log)
            let fetched = try await log.page(webhook: webhook, before: before, limit: page.limit)
            return try Page(fetched: fetched, limit: page.limit, key: { String($0.sequence) }).response(for: request)
        }

        router.post("/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", access: .admin) { [context] _, _, route in
            let webhook = try await Self.requireWebhook(route.parameters["webhook_id"], log: log)
            let deliveryText = route.parameters["delivery_id"] ?? ""
            guard let delivery = WebhookDelivery.sequence(of: deliveryText),
                  let event = try await log.redeliver(webhook: webhook, delivery: delivery, now: context.clock())
            else {
                throw HTTPError(status: .notFound, detail: "webhook \(webhook.uuidString.lowercased()) has no delivery '\(deliveryText.prefix(64))'",
                                problem: ProblemTypes.notFound)
            }
            context.outboxDoorbell.ring()
            return try APIJSON.response(WebhookRedelivery(messageID: event.messageID, eventState: event.state), status: .accepted)
        }
    }

    private static func requireWebhook(_ text: String?, log: WebhookDeliveryLog) async throws -> UUID {
        guard let text, let id = UUID(uuidString: text), try await log.webhookExists(id) else {
            throw HTTPError(status: .notFound, detail: "no webhook \(text.map { "'\($0.prefix(64))'" } ?? "") exists", problem: ProblemTypes.notFound)
        }
        return id
    }
}

/// The test route's answer: whether the ping was delivered, and its attempt (null without one).
struct WebhookTestOutcome: Sendable {
    let delivered: Bool
    /// The subscription's format sends nothing for a ping (PagerDuty).
    let skipped: Bool
    let delivery: WebhookDelivery?
}

extension WebhookTestOutcome: JSONObject, JSONWritable {
    static let members: JSONMembers<WebhookTestOutcome> = [
        JSONMember("delivered", \.delivered),
        JSONMember("skipped", \.skipped),
        JSONMember("delivery", \.delivery),
    ]
}

/// The redeliver route's answer: the event is pending again under its message id.
struct WebhookRedelivery: Sendable {
    let messageID: String
    let eventState: String
}

extension WebhookRedelivery: JSONObject, JSONWritable {
    static let members: JSONMembers<WebhookRedelivery> = [
        JSONMember("message_id", \.messageID),
        JSONMember("event_state", \.eventState),
    ]
}
