import Foundation
import JSON
import ReadinessScoring

/// The body of every `standard` delivery (openapi `WebhookEvent`): `{type, timestamp, data}`.
/// Built at an event's first attempt and frozen in `webhook_events.payload`, so it describes
/// the site as it was then; retries and redeliveries send the same bytes. Each shape is
/// declared once (`members`, in `WebhookPayload+Members.swift`); a member that is nil is left
/// out unless the shape says null.
struct WebhookPayload: Sendable {
    /// Bodies are kept under this (issue 16); findings are left out from the end to fit.
    static let maximumBytes = 20 * 1024

    let type: String
    let timestamp: Date
    var data: EventData

    struct EventData: Sendable {
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
    }

    struct SiteRef: Sendable {
        let id: String
        let name: String
        let region: String?
        let tags: [String]
    }

    /// Both members are written, null when unknown.
    struct VerdictScore: Sendable {
        let verdict: String?
        let score: Int?
    }

    /// The `site_changes` row behind a finding event.
    struct ChangeRef: Sendable {
        let kind: String
        let code: String?
        let fromStatus: String?
        let toStatus: String?
    }

    /// A finding as the assessment document has it, narrowed to what a ticket needs: the
    /// threshold is the one of the tier it blocks (else of the lowest tier it misses).
    struct FindingRef: Sendable {
        let code: String
        var ruleID: String?
        var status: String?
        var tierBlocked: String?
        var tier: String?
        var observed: Observed?
        var threshold: Threshold?
        var remediation: String?
        var source: String?

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
        var bytes = try payload.bytes()
        while bytes.count > Self.maximumBytes, !payload.data.findings.isEmpty {
            payload.data.findings.removeLast()
            payload.data.findingsTruncated = true
            bytes = try payload.bytes()
        }
        return bytes
    }

    /// Written from the member lists; a non-finite figure goes through `APIJSON.encoder` all
    /// the same, which refuses it as it always did (as `APIJSON.response` does).
    private func bytes() throws -> [UInt8] {
        if let written = try? JSONWriter.document(capacity: 4096, { write(to: $0) }) { return written }
        return Array(try APIJSON.encoder.encode(self))
    }
}
