import Foundation

/// Where and how one subscription's events go. Carries the secrets, so its description
/// leaves them out: a `\(target)` in a log line names the subscription and its origin only.
struct DeliveryTarget: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let webhookID: UUID
    let url: String
    let format: WebhookFormat
    /// `standard`: `whsec_` + base64 of the signing key; `pagerduty`: the routing key.
    let secret: String
    /// During a rotation, the old signing secret and when it stops signing.
    let previousSecret: String?
    let previousSecretExpiresAt: Date?

    var description: String { "webhook \(webhookID.uuidString.lowercased()) (\(format.rawValue))" }
    var debugDescription: String { description }
}

/// An outbox row a worker has claimed for one attempt: the lease keeps other replicas off it
/// until the attempt's outcome is written (or the lease runs out, if this replica dies).
struct ClaimedEvent: Sendable {
    let id: Int
    let messageID: String
    let type: String
    let siteID: UUID?
    let changeID: Int?
    let occurredAt: Date
    let createdAt: Date
    /// The body frozen at the first attempt (jsonb as text); nil before it.
    let payload: String?
    /// Attempts claimed so far, this one included: the claim's token when its outcome is written.
    let attempts: Int
    let target: DeliveryTarget
}
