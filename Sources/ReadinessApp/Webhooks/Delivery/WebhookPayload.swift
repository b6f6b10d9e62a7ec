import Foundation
import ReadinessScoring

/// The body of every `standard` delivery (openapi `WebhookEvent`): `{type, timestamp, data}`.
/// Built at an event's first attempt and frozen in `webhook_events.payload`, so it describes
/// the site as it was then; retries and redeliveries send the same bytes.
struct WebhookPayload: Encodable, Sendable {
    /// Bodies are kept under this (issue 16); findings are left out from the end to fit.
    static let maximumBytes = 20 * 1024

    let type: String
    let timestamp: Date
    var data: EventData

    struct EventData: Encodable, Sendable {
        var webhookID: String?
        var message: String?
        var site: SiteRef?
        var before: VerdictScore?
        var after: VerdictScore?
        var change: ChangeRef?
        var findings: [FindingRef]
        var findingsTruncated: Bool?
        var runID: String?
        var links: [String: String]?

        enum CodingKeys: String, CodingKey {
            case message, site, before, after, change, findings, links
            case webhookID = "webhook_id", findingsTruncated = "findings_truncated", runID = "run_id"
        }
    }

    struct SiteRef: Encodable, Sendable {
        let id: String
        let name: String
        let region: String?
        let tags: [String]
    }

    struct VerdictScore: Encodable, Sendable {
        let verdict: String?
        let score: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(verdict, forKey: .verdict)
            try container.encode(score, forKey: .score)
        }

        enum CodingKeys: String, CodingKey { case verdict, score }
    }

    /// The `site_changes` row behind a finding event.
    struct ChangeRef: Encodable, Sendable {
        let kind: String
        let code: String?
        let fromStatus: String?
        let toStatus: String?

        enum CodingKeys: String, CodingKey {
            case kind, code
            case fromStatus = "from_status", toStatus = "to_status"
        }
    }

    /// A finding as the assessment document has it, narrowed to what a ticket needs: the
    /// threshold is the one of the tier it blocks (else of the lowest tier it misses).
    struct FindingRef: Encodable, Sendable {
        let code: String
        var ruleID: String?
        var status: String?
        var tierBlocked: String?
        var tier: String?
        var observed: Observed?
        var threshold: Threshold?
        var remediation: String?
        var source: String?

        enum CodingKeys: String, CodingKey {
            case code, status, tier, observed, threshold, remediation, source
            case ruleID = "rule_id", tierBlocked = "tier_blocked"
        }

        init(code: String, status: String?) {
            self.code = code
            self.status = status
        }

        init(_ finding: Finding) {
            code = finding.code
            ruleID = finding.ruleID
            status = finding.status.rawValue
            tierBlocked = finding.blocks?.rawValue
            let tierOutcome = finding.blocks.flatMap { blocked in finding.tiers.first { $0.tier == blocked } }
                ?? finding.tiers.first { $0.status != .pass } ?? finding.tiers.first
            tier = tierOutcome?.tier.rawValue
            observed = finding.observed
            threshold = tierOutcome?.threshold
            remediation = finding.remediation
            source = (tierOutcome?.source ?? finding.source).rawValue
        }
    }

    /// The encoded body, under ``maximumBytes``: findings beyond what fits are dropped from the
    /// end (least severe last) and `findings_truncated` says so.
    func encoded() throws -> [UInt8] {
        var payload = self
        var bytes = Array(try APIJSON.encoder.encode(payload))
        while bytes.count > Self.maximumBytes, !payload.data.findings.isEmpty {
            payload.data.findings.removeLast()
            payload.data.findingsTruncated = true
            bytes = Array(try APIJSON.encoder.encode(payload))
        }
        return bytes
    }
}
