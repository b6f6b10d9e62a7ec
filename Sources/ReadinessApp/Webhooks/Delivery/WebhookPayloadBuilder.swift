import Foundation
import Postgres
import ReadinessScoring

/// Builds an event's body from what it points at: the site, the `site_changes` row, and the
/// site's current assessment document (the findings as `GET …/assessment` shows them).
struct WebhookPayloadBuilder: Sendable {
    let database: PostgresPool
    let assessments: AssessmentReader
    /// `READINESS_PUBLIC_URL` without a trailing slash; "" leaves links relative.
    let linkBase: String
    let clock: @Sendable () -> Date

    init(database: PostgresPool, publicURL: String?, clock: @escaping @Sendable () -> Date) {
        self.database = database
        assessments = AssessmentReader(database: database, policies: PolicyCatalog(database: database), clock: clock)
        var base = publicURL ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        linkBase = base
        self.clock = clock
    }

    /// What the assessment document says, as far as events need it.
    private struct AssessmentExcerpt: Decodable {
        let verdict: String
        let lastVerdict: String?
        let score: Int?
        let findings: [Finding]

        enum CodingKeys: String, CodingKey {
            case verdict, score, findings
            case lastVerdict = "last_verdict"
        }
    }

    func payload(for event: ClaimedEvent) async throws -> WebhookPayload {
        var data = WebhookPayload.EventData(findings: [])
        guard let siteID = event.siteID else {
            data.webhookID = event.target.webhookID.uuidString.lowercased()
            data.message = "A test event: the subscription reaches this receiver."
            return WebhookPayload(type: event.type, timestamp: event.occurredAt, data: data)
        }
        let site = try await siteRef(siteID)
        data.site = site
        let id = site.id
        data.links = [
            "site": "\(linkBase)/v1/sites/\(id)", "assessment": "\(linkBase)/v1/sites/\(id)/assessment",
            "changes": "\(linkBase)/v1/sites/\(id)/changes", "remediation": "\(linkBase)/v1/sites/\(id)/remediation",
        ]
        let current = try await excerpt(siteID)
        var change: ChangeRow?
        if let changeID = event.changeID { change = try await changeRow(changeID) }
        data.runID = change?.runID
        let problems = (current?.findings ?? []).filter { $0.status == .fail || $0.status == .warn }
            .sorted { ($0.status == .fail ? 0 : 1, $0.code) < ($1.status == .fail ? 0 : 1, $1.code) }
        let now = VerdictScore(verdict: current?.verdict, score: current?.score)
        switch event.type {
        case "site.verdict_changed":
            // The change's own scores (migration 0023); a row written before it has none, and
            // then `after` falls back to the assessment as it is now.
            data.before = .init(verdict: change?.fromVerdict, score: change?.fromScore)
            data.after = .init(verdict: change?.toVerdict ?? current?.verdict, score: change?.toScore ?? current?.score)
            data.findings = problems.map(WebhookPayload.FindingRef.init)
        case "site.finding_appeared", "site.finding_cleared":
            data.after = now
            data.change = change.map { .init(kind: $0.kind, code: $0.code, fromStatus: $0.fromStatus, toStatus: $0.toStatus) }
            if let code = change?.code {
                data.findings = [current?.findings.first { $0.code == code }.map(WebhookPayload.FindingRef.init)
                    ?? WebhookPayload.FindingRef(code: code, status: change?.toStatus)]
            }
        case "site.stale":
            data.before = .init(verdict: current?.lastVerdict ?? current?.verdict, score: current?.score)
            data.after = .init(verdict: "stale", score: nil)
            data.findings = problems.map(WebhookPayload.FindingRef.init)
        default:  // site.fresh
            data.before = .init(verdict: "stale", score: nil)
            data.after = now
            data.findings = problems.map(WebhookPayload.FindingRef.init)
        }
        return WebhookPayload(type: event.type, timestamp: event.occurredAt, data: data)
    }

    private typealias VerdictScore = WebhookPayload.VerdictScore

    private func siteRef(_ id: UUID) async throws -> WebhookPayload.SiteRef {
        let rows = try await database.query("SELECT name, region, tags FROM sites WHERE id = \(id)", idempotent: true)
        guard let row = rows.first else { throw OutboxError.eventVanished }
        return WebhookPayload.SiteRef(
            id: id.uuidString.lowercased(), name: try row.decode(String.self, column: "name"),
            region: try row.decode(String?.self, column: "region"), tags: try row.decode([String].self, column: "tags"))
    }

    private func excerpt(_ site: UUID) async throws -> AssessmentExcerpt? {
        if let stored = try await assessments.storedAssessment(site: site) {
            // As `GET …/assessment` would answer now: stale past the freshness window.
            let assessment = stored.asOf(clock())
            return AssessmentExcerpt(
                verdict: assessment.verdict.rawValue,
                lastVerdict: (assessment.verdict == .stale ? assessment.lastVerdict : assessment.verdict)?.rawValue,
                score: assessment.score, findings: assessment.findings)
        }
        // No stored assessment (a site that never sent a result): the document's empty form.
        guard let current = try await assessments.load(site: site, previous: nil) else { return nil }
        return try APIJSON.decoder.decode(AssessmentExcerpt.self, from: Data(current.representation(at: clock()).body))
    }

    struct ChangeRow: Sendable {
        let kind: String
        let code: String?
        let runID: String?
        let fromVerdict: String?
        let toVerdict: String?
        let fromStatus: String?
        let toStatus: String?
        let fromScore: Int?
        let toScore: Int?
    }

    private func changeRow(_ id: Int) async throws -> ChangeRow? {
        let rows = try await database.query(
            """
            SELECT kind, code, run_id, from_verdict, to_verdict, from_status, to_status, from_score, to_score
            FROM site_changes WHERE id = \(id)
            """,
            idempotent: true)
        guard let row = rows.first else { return nil }
        return ChangeRow(
            kind: try row.decode(String.self, column: "kind"), code: try row.decode(String?.self, column: "code"),
            runID: try row.decode(UUID?.self, column: "run_id")?.uuidString.lowercased(),
            fromVerdict: try row.decode(String?.self, column: "from_verdict"), toVerdict: try row.decode(String?.self, column: "to_verdict"),
            fromStatus: try row.decode(String?.self, column: "from_status"), toStatus: try row.decode(String?.self, column: "to_status"),
            fromScore: try row.decode(Int?.self, column: "from_score"), toScore: try row.decode(Int?.self, column: "to_score"))
    }
}
