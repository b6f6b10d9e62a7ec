import JSON
import ReadinessScoring

// The body's shapes, each declared once. Synthesized `Codable` left a nil optional out
// (`encodeIfPresent`), so every optional here is `.omittedWhenNil`, except `VerdictScore`'s,
// which its own `encode(to:)` wrote as null: the frozen bodies' bytes stay as they were
// (`WebhookBodyBytesTests`).

extension WebhookPayload: JSONObject {
    static let members: JSONMembers<WebhookPayload> = [
        JSONMember("type", \.type),
        JSONMember("timestamp", \.timestamp),
        JSONMember("data", \.data),
    ]
}

extension WebhookPayload.EventData: JSONObject {
    static let members: JSONMembers<WebhookPayload.EventData> = [
        .omittedWhenNil("webhook_id", \.webhookID),
        .omittedWhenNil("message", \.message),
        .omittedWhenNil("site", \.site),
        .omittedWhenNil("before", \.before),
        .omittedWhenNil("after", \.after),
        .omittedWhenNil("change", \.change),
        JSONMember("findings", \.findings),
        .omittedWhenNil("findings_truncated", \.findingsTruncated),
        .omittedWhenNil("run_id", \.runID),
        .omittedWhenNil("links") { $0.links.map { JSONKeyedMap($0) } },
    ]
}

extension WebhookPayload.SiteRef: JSONObject {
    static let members: JSONMembers<WebhookPayload.SiteRef> = [
        JSONMember("id", \.id),
        JSONMember("name", \.name),
        .omittedWhenNil("region", \.region),
        JSONMember("tags", \.tags),
    ]
}

extension WebhookPayload.VerdictScore: JSONObject {
    static let members: JSONMembers<WebhookPayload.VerdictScore> = [
        JSONMember("verdict", \.verdict),
        JSONMember("score", \.score),
    ]
}

extension WebhookPayload.ChangeRef: JSONObject {
    static let members: JSONMembers<WebhookPayload.ChangeRef> = [
        JSONMember("kind", \.kind),
        .omittedWhenNil("code", \.code),
        .omittedWhenNil("from_status", \.fromStatus),
        .omittedWhenNil("to_status", \.toStatus),
    ]
}

extension WebhookPayload.FindingRef: JSONObject {
    static let members: JSONMembers<WebhookPayload.FindingRef> = [
        JSONMember("code", \.code),
        .omittedWhenNil("rule_id", \.ruleID),
        .omittedWhenNil("status", \.status),
        .omittedWhenNil("tier_blocked", \.tierBlocked),
        .omittedWhenNil("tier", \.tier),
        .omittedWhenNil("observed", \.observed),
        .omittedWhenNil("threshold", \.threshold),
        .omittedWhenNil("remediation", \.remediation),
        .omittedWhenNil("source", \.source),
    ]
}
