import Foundation

/// A `standard` webhook's body as a receiver gets it (`WebhookPayload` in the service):
/// members the event has no value for are left out, hence the optionals.
struct WebhookEventBody: Decodable {
    struct EventData: Decodable {
        let site: Site?
        let before: VerdictScore?
        let after: VerdictScore?
        let findings: [Finding]
        let runId: String?
        let links: [String: String]?
    }

    struct Site: Decodable {
        let id: String
        let name: String
        let region: String?
        let tags: [String]
    }

    struct VerdictScore: Decodable {
        let verdict: String?
        let score: Int?
    }

    struct Finding: Decodable {
        let code: String
        let status: String?
        let tierBlocked: String?
        let observed: Measure?
        let threshold: Measure?
        let remediation: String?
        let source: String?
    }

    /// An observed value or a limit: which members it has depends on the rule's kind, but it
    /// is always an object (decoding anything else fails).
    struct Measure: Decodable {
        let value: Double?
        let unit: String?
    }

    let type: String
    let timestamp: Date
    let data: EventData
}
