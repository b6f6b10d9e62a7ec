import Foundation
import JSON

/// A PagerDuty Events API v2 event (developer.pagerduty.com, "Send an Alert Event"), derived
/// from an event's frozen `standard` body at send time so the routing key is never stored
/// beside it: `trigger` when a finding that blocks a tier appears or the verdict falls to
/// `not_ready`, `resolve` when that finding clears or the verdict rises from `not_ready`.
/// `dedup_key` is the site id and the code (`not_ready` for the verdict), so a flapping site
/// triggers and resolves one incident. Other events have no PagerDuty action.
struct PagerDutyEvent: Sendable {
    let routingKey: String
    let eventAction: String
    let dedupKey: String
    /// Required for `trigger`, absent for `resolve`.
    let payload: Payload?
    let client = "readiness"
    let links: [Link]?

    struct Payload: Sendable {
        let summary: String
        let source: String
        /// critical (the minimal tier is blocked, or not ready), warning (only optimal blocked).
        let severity: String
        let timestamp: String
        let component: String
        let group: String?
        let eventClass: String
        let customDetails: [String: String]
    }

    struct Link: Sendable {
        let href: String
        let text: String
    }

    /// The frozen body, as far as PagerDuty needs it.
    struct Source: Decodable {
        struct Site: Decodable { let id: String; let name: String; let region: String? }
        struct State: Decodable { let verdict: String? }
        struct Finding: Decodable {
            let code: String
            let status: String?
            let tierBlocked: String?
            let remediation: String?
            enum CodingKeys: String, CodingKey { case code, status, remediation; case tierBlocked = "tier_blocked" }
        }
        struct Data: Decodable {
            let site: Site?
            let before: State?
            let after: State?
            let findings: [Finding]?
            let links: [String: String]?
        }
        let type: String
        let timestamp: String
        let data: Data
    }

    /// The event for `body`, or nil when it calls for no PagerDuty action.
    static func make(from body: [UInt8], routingKey: String) throws -> PagerDutyEvent? {
        let source = try APIJSON.decoder.decode(Source.self, from: Foundation.Data(body))
        guard let site = source.data.site else { return nil }
        let links = source.data.links?.filter { $0.value.hasPrefix("https://") || $0.value.hasPrefix("http://") }
            .sorted { $0.key < $1.key }.map { Link(href: $0.value, text: $0.key) }
        func event(_ action: String, code: String, summary: String, severity: String, details: [String: String]) -> PagerDutyEvent {
            let payload = action == "trigger" ? Payload(
                summary: String(summary.prefix(1024)), source: site.region.map { "\(site.name) (\($0))" } ?? site.name,
                severity: severity, timestamp: source.timestamp, component: site.name, group: site.region, eventClass: code,
                customDetails: details.merging(["site_id": site.id]) { first, _ in first }) : nil
            return PagerDutyEvent(routingKey: routingKey, eventAction: action, dedupKey: "readiness:\(site.id):\(code)",
                                  payload: payload, links: links?.isEmpty == false ? links : nil)
        }
        switch source.type {
        case "site.finding_appeared":
            guard let finding = source.data.findings?.first, finding.status == "fail", let tier = finding.tierBlocked else { return nil }
            return event("trigger", code: finding.code, summary: "\(site.name): \(finding.code) blocks the \(tier) tier",
                         severity: tier == "minimal" ? "critical" : "warning",
                         details: ["finding": finding.code, "tier_blocked": tier, "remediation": finding.remediation ?? ""])
        case "site.finding_cleared":
            guard let finding = source.data.findings?.first else { return nil }
            return event("resolve", code: finding.code, summary: "", severity: "info", details: [:])
        case "site.verdict_changed":
            let before = source.data.before?.verdict, after = source.data.after?.verdict
            if after == "not_ready" {
                return event("trigger", code: "not_ready", summary: "\(site.name) is not ready (was \(before ?? "unknown"))",
                             severity: "critical", details: ["verdict_before": before ?? "", "verdict_after": "not_ready"])
            }
            return before == "not_ready" ? event("resolve", code: "not_ready", summary: "", severity: "info", details: [:]) : nil
        default:
            return nil
        }
    }
}

extension PagerDutyEvent: JSONObject {
    // Synthesized `Codable` left a nil optional out, and so do these (`WebhookBodyBytesTests`).
    static let members: JSONMembers<PagerDutyEvent> = [
        JSONMember("routing_key", \.routingKey),
        JSONMember("event_action", \.eventAction),
        JSONMember("dedup_key", \.dedupKey),
        .omittedWhenNil("payload", \.payload),
        JSONMember("client", \.client),
        .omittedWhenNil("links", \.links),
    ]
}

extension PagerDutyEvent.Payload: JSONObject {
    static let members: JSONMembers<PagerDutyEvent.Payload> = [
        JSONMember("summary", \.summary),
        JSONMember("source", \.source),
        JSONMember("severity", \.severity),
        JSONMember("timestamp", \.timestamp),
        JSONMember("component", \.component),
        .omittedWhenNil("group", \.group),
        JSONMember("class", \.eventClass),
        JSONMember("custom_details") { JSONKeyedMap($0.customDetails) },
    ]
}

extension PagerDutyEvent.Link: JSONObject {
    static let members: JSONMembers<PagerDutyEvent.Link> = [
        JSONMember("href", \.href),
        JSONMember("text", \.text),
    ]
}
