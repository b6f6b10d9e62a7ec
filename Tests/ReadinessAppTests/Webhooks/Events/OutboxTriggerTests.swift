import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Events reach the outbox in the transaction of the change that causes them, from either
/// writer of `site_changes`, and only then.
@Suite struct OutboxTriggerTests {
    /// The changes a subscription to every change event gets one event each for.
    static func eventfulChanges(of site: UUID) -> PostgresQuery {
        """
        SELECT id, kind FROM site_changes
        WHERE site_id = \(site) AND (kind <> 'finding_changed' OR (to_status = 'fail' AND from_status <> 'fail'))
        ORDER BY id
        """
    }

    @Test func uploadsThatChangeASitesVerdictPutOneEventPerChangeInTheOutbox() async throws {
        try await LiveService.with(configure: { $0.webhooks.allowPrivateDestinations = true }) { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/webhooks", token: admin, json: [
                "name": "all changes", "url": "http://127.0.0.1:9/hook",
                "event_types": ["site.verdict_changed", "site.finding_appeared", "site.finding_cleared"],
            ])
            let webhook = try #require(UUID(uuidString: try created.decoded(WebhookCreatedAnswer.self).webhook.id))
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(healthy: true)).status == 201)
            // Three lossy runs against one clean one: the verdict falls to not_ready.
            for _ in 0..<3 {
                let lossy = ResultSamples.data(ResultSamples.json(healthy: false, lossPct: 20))
                #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: lossy).status == 201)
            }
            let changes = try await live.database.query(Self.eventfulChanges(of: site))
            let events = try await live.database.query(
                """
                SELECT e.webhook_id, e.type, e.change_id, e.message_id, e.state, e.site_id, e.occurred_at = c.at AS on_time
                FROM webhook_events e JOIN site_changes c ON c.id = e.change_id ORDER BY e.id
                """)
            #expect(events.count == changes.count)
            #expect(try events.map { try $0.decode(Int.self, column: "change_id") } == changes.map { try $0.decode(Int.self, column: "id") })
            let verdictEvents = try events.filter { try $0.decode(String.self, column: "type") == "site.verdict_changed" }
            #expect(verdictEvents.count >= 2, "the first assessment and the fall to not_ready")
            for event in events {
                #expect(try event.decode(UUID.self, column: "webhook_id") == webhook)
                #expect(try event.decode(UUID.self, column: "site_id") == site)
                #expect(try event.decode(String.self, column: "state") == "pending")
                #expect(try event.decode(String.self, column: "message_id").hasPrefix("msg_"))
                #expect(try event.decode(Bool.self, column: "on_time"))
            }
            let lastVerdict = try #require(verdictEvents.last)
            let change = try await live.database.query(
                "SELECT to_verdict FROM site_changes WHERE id = \(try lastVerdict.decode(Int.self, column: "change_id"))")
            #expect(try change[0].decode(String.self, column: "to_verdict") == "not_ready")
        }
    }

    /// The other writer of changes: a re-score in the transaction that changed the site
    /// (SiteAssessmentUpdater, the per-upload path's code), with no run behind it.
    @Test func aRescoreThatChangesTheVerdictPutsItsEventsInTheOutboxToo() async throws {
        try await LiveService.with(configure: { $0.webhooks.allowPrivateDestinations = true }) { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site(expectedUsers: 10)
            let agent = try await live.fixtures.agent(site: site)
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(healthy: true)).status == 201)
            #expect(try await live.client.post("/v1/webhooks", token: admin, json: [
                "name": "verdicts", "url": "http://127.0.0.1:9/hook", "event_types": ["site.verdict_changed", "site.finding_appeared"],
            ]).status == 201)
            // A million users cannot share the measured bandwidth.
            #expect(try await live.client.patch("/v1/sites/\(site.lower)", token: admin, json: ["expected_users": 1_000_000]).status == 200)
            let changes = try await live.database.query(
                "SELECT id FROM site_changes WHERE run_id IS NULL AND kind IN ('verdict_changed', 'finding_appeared') ORDER BY id")
            #expect(!changes.isEmpty)
            let events = try await live.database.query("SELECT change_id FROM webhook_events ORDER BY id")
            #expect(try events.map { try $0.decode(Int.self, column: "change_id") } == changes.map { try $0.decode(Int.self, column: "id") })
            // The re-score's verdict change keeps both scores: the upload's, and the one it made.
            let scores = try await live.database.query(
                """
                SELECT c.from_score, c.to_score, a.score FROM site_changes c JOIN site_assessments a USING (site_id)
                WHERE c.run_id IS NULL AND c.kind = 'verdict_changed'
                """)
            try #require(scores.count == 1)
            #expect(try scores[0].decode(Int?.self, column: "from_score") != nil)
            #expect(try scores[0].decode(Int?.self, column: "to_score") == scores[0].decode(Int?.self, column: "score"))
        }
    }

    @Test func withNoSubscriptionOrOnlyDisabledOnesTheOutboxStaysEmpty() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(healthy: true))
            try await OutboxDatabase(database: live.database).webhook(enabled: false)
            for _ in 0..<3 {
                _ = try await live.client.send("POST", "/v1/results", token: agent.token,
                                               body: ResultSamples.data(ResultSamples.json(healthy: false, lossPct: 20)))
            }
            #expect(try await live.reads.count("site_changes") >= 2)
            #expect(try await live.reads.count("webhook_events") == 0)
        }
    }

    @Test func aRolledBackChangeLeavesNoEvent() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            try await db.webhook()
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) {
                try await db.database.withTransaction { tx in
                    try tx.execute(
                        """
                        INSERT INTO site_changes (site_id, at, kind, code, from_verdict, to_verdict)
                        VALUES (\(site), now(), 'verdict_changed', 'VERDICT_DEGRADED', 'optimal', 'not_ready')
                        """)
                    // Inside the transaction the event is there, beside its change...
                    let inside = try tx.query("SELECT count(*)::int AS n FROM webhook_events")
                    #expect(try inside[0].decode(Int.self, column: "n") == 1)
                    throw Abandon()
                }
            }
            // ...and it went with it.
            #expect(try await db.events().isEmpty)
            #expect(try await db.database.query("SELECT 1 FROM site_changes").isEmpty)
        }
    }

    @Test func aSetOfChangesInOneStatementKeepsItsOrderPerSubscription() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            let first = try await db.webhook()
            let second = try await db.webhook()
            // As the group-commit writer inserts them: many rows, one statement.
            try await db.database.execute(
                """
                INSERT INTO site_changes (site_id, at, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status)
                SELECT \(site), now(), k, c, r, fv, tv, fs, ts FROM (VALUES
                    (1, 'verdict_changed', 'VERDICT_DEGRADED', NULL, 'optimal', 'not_ready', NULL, NULL),
                    (2, 'finding_appeared', 'UDP_BLOCKED', 'udp', NULL, NULL, 'pass', 'fail'),
                    (3, 'finding_cleared', 'TLS_INSPECTED', 'tls', NULL, NULL, 'warn', 'pass')) AS v(n, k, c, r, fv, tv, fs, ts)
                ORDER BY n
                """)
            let rows = try await db.database.query("SELECT webhook_id, change_id FROM webhook_events ORDER BY id")
            for webhook in [first, second] {
                let changes = try rows.filter { try $0.decode(UUID.self, column: "webhook_id") == webhook }
                    .map { try $0.decode(Int.self, column: "change_id") }
                #expect(changes.count == 3)
                #expect(changes == changes.sorted())
            }
        }
    }
}
