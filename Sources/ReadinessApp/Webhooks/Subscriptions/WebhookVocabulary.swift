/// The events a subscription may ask for (issue 16). `ping` is not among them: the test
/// operation sends it to any subscription, asked for or not.
enum WebhookEventType: String, Sendable, CaseIterable {
    case verdictChanged = "site.verdict_changed"
    case findingAppeared = "site.finding_appeared"
    case findingCleared = "site.finding_cleared"
    case stale = "site.stale"
    case fresh = "site.fresh"

    static var choices: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
}

/// How deliveries are written and signed: `standard` (the Standard Webhooks specification,
/// signed with a secret the service generates) or `pagerduty` (Events API v2, addressed by the
/// routing key the client gives).
enum WebhookFormat: String, Sendable, CaseIterable {
    case standard
    case pagerduty

    static var choices: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
}
