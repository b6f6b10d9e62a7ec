/// The answer to a redelivery: the message sent again, under its first `webhook-id`.
struct DeliveryRedeliveryAnswer: Decodable {
    let messageId: String
}
