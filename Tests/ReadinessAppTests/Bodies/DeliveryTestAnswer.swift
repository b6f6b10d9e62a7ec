/// The answer to `POST /v1/webhooks/{id}/test`: the ping's attempt.
struct DeliveryTestAnswer: Decodable {
    let delivered: Bool
    let delivery: DeliveryAttemptBody
}
