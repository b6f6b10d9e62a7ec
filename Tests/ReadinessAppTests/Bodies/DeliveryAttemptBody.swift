/// One delivery attempt as the delivery log answers it (`WebhookDelivery` in the service).
struct DeliveryAttemptBody: Decodable {
    let id: String
    let messageId: String
    let eventType: String
    let statusCode: Int?
}

/// A page of `GET /v1/webhooks/{id}/deliveries`.
struct DeliveryLogPage: Decodable {
    let items: [DeliveryAttemptBody]
    let nextCursor: String?
}
