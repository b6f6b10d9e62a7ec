/// The answer to a creation or a rotation (`WebhookCreated`): the subscription and, for a
/// `standard` one only, its signing secret.
struct WebhookCreatedAnswer: Decodable {
    let webhook: WebhookBody
    let secret: String?
}
