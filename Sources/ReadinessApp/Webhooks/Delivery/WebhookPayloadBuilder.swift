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

    /// The bodies of a round's claimed events by event id, from one statement for all their
    /// sites, assessments and changes (a round of 32 cost 96 statements one event at a time,
    /// beside ingest on the same cores: `make bench-webhooks`). An event whose site is gone is
    /// left out: its claim expires and it is tried again.
    func payloads(for events: [ClaimedEvent]) async throws -> [Int: WebhookPayload] {
        var payloads: [Int: WebhookPayload] = [:]
        let siteEvents = events.filter { $0.siteID != nil }
        let contexts = try await contexts(of: siteEvents)
        for event in events {
            guard event.siteID != nil else {
                payloads[event.id] = ping(event)
                continue
            }
            guard let context = contexts[event.id] else { continue }
            let current = try await excerpt(context)
            payloads[event.id] = payload(for: event, site: context.site, current: current, change: context.change)
        }
        return payloads
    }

    private func ping(_ event: ClaimedEvent) -> WebhookPayload {
        var data = WebhookPayload.EventData(findings: [])
        data.webhookID = event.target.webhookID.uuidString.lowercased()
        data.message = "A test event: the subscription reaches this receiver."
        return WebhookPayload(type: event.type, timestamp: event.occurredAt, data: data)
    }

    private func payload(
        for event: ClaimedEvent, site: WebhookPayload.SiteRef, current: AssessmentExcerpt?, change: ChangeRow?
    ) -> WebhookPayload {
        var data = WebhookPayload.EventData(findings: [])
        data.site = site
        let id = site.id
        data.links = [
            "site": "\(linkBase)/v1/sites/\(id)", "assessment": "\(linkBase)/v1/sites/\(id)/assessment",
            "changes": "\(linkBase)/v1/sites/\(id)/changes", "remediation": "\(linkBase)/v1/sites/\(id)/remediation",
        ]
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

    /// What one event's body is built from.
    private struct EventContext {
        let siteID: UUID
        let site: WebhookPayload.SiteRef
        /// The stored assessment document; nil before the site's first result.
        let storedAssessment: [UInt8]?
        let change: ChangeRow?
    }

    /// Each event's site, its stored assessment and the change behind the event, by event id,
    /// in one statement. Events whose site is gone are not in the answer.
    private func contexts(of events: [ClaimedEvent]) async throws -> [Int: EventContext] {
        guard !events.isEmpty else { return [:] }
        let sites = PostgresArray(events.map { $0.siteID ?? UUID() }), changes = PostgresArray(events.map(\.changeID))
        let rows = try await database.query(
            """
            SELECT v.n, v.site_id, s.name, s.region, s.tags, a.assessment, c.kind, c.code, c.run_id,
                c.from_verdict, c.to_verdict, c.from_status, c.to_status, c.from_score, c.to_score
            FROM unnest(\(sites)::uuid[], \(changes)::bigint[]) WITH ORDINALITY AS v(site_id, change_id, n)
            JOIN sites s ON s.id = v.site_id
            LEFT JOIN site_assessments a ON a.site_id = v.site_id
            LEFT JOIN site_changes c ON c.id = v.change_id
            """,
            idempotent: true)
        var contexts: [Int: EventContext] = [:]
        for row in rows {
            let event = events[try row.decode(Int.self, column: "n") - 1], siteID = try row.decode(UUID.self, column: "site_id")
            let change = try row.decode(String?.self, column: "kind").map { kind in
                ChangeRow(
                    kind: kind, code: try row.decode(String?.self, column: "code"),
                    runID: try row.decode(UUID?.self, column: "run_id")?.uuidString.lowercased(),
                    fromVerdict: try row.decode(String?.self, column: "from_verdict"), toVerdict: try row.decode(String?.self, column: "to_verdict"),
                    fromStatus: try row.decode(String?.self, column: "from_status"), toStatus: try row.decode(String?.self, column: "to_status"),
                    fromScore: try row.decode(Int?.self, column: "from_score"), toScore: try row.decode(Int?.self, column: "to_score"))
            }
            contexts[event.id] = EventContext(
                siteID: siteID,
                site: WebhookPayload.SiteRef(
                    id: siteID.uuidString.lowercased(), name: try row.decode(String.self, column: "name"),
                    region: try row.decode(String?.self, column: "region"), tags: try row.decode([String].self, column: "tags")),
                storedAssessment: try row.decode(PostgresText?.self, column: "assessment")?.bytes,
                change: change)
        }
        return contexts
    }

    private func excerpt(_ context: EventContext) async throws -> AssessmentExcerpt? {
        if let stored = context.storedAssessment {
            // As `GET …/assessment` would answer now: stale past the freshness window.
            let assessment = try await assessments.expanded(stored).asOf(clock())
            return AssessmentExcerpt(
                verdict: assessment.verdict.rawValue,
                lastVerdict: (assessment.verdict == .stale ? assessment.lastVerdict : assessment.verdict)?.rawValue,
                score: assessment.score, findings: assessment.findings)
        }
        // No stored assessment (a site that never sent a result): the document's empty form.
        guard let current = try await assessments.load(site: context.siteID, previous: nil) else { return nil }
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
}
