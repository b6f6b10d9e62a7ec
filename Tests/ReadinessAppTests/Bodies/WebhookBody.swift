import Foundation

/// A subscription as `/v1/webhooks` answers it (`Webhook` in the API). Its nullable members are
/// always written (as null when unset); a test that must tell null from absent reads the
/// answer as a `JSONValue` as well.
struct WebhookBody: Decodable {
    struct Filters: Decodable {
        let siteIds: [String]?
        let regions: [String]?
        let tags: [String]?
        let verdicts: [String]?
        let findingCodes: [String]?
        let tiersBlocked: [String]?
    }

    let id: String
    let name: String
    let url: String
    let format: String
    let eventTypes: [String]
    let filters: Filters
    let enabled: Bool
    let disabledReason: String?
    let previousSecretExpiresAt: Date?
}

/// A page of `GET /v1/webhooks`.
struct WebhookListAnswer: Decodable {
    let items: [WebhookBody]
    let nextCursor: String?
}
