import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// A verdict change keeps the scores it went between (`site_changes.from_score` / `to_score`,
/// migration 0023), and a `site.verdict_changed` payload's before and after carry them.
@Suite(.serialized) struct WebhookChangeScoreTests {
    @Test func aVerdictChangeCarriesTheScoresBeforeAndAfter() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 204)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            try await live.database.execute("UPDATE webhooks SET event_types = ARRAY['site.verdict_changed'] WHERE id = \(webhook)")

            let bad = ReadFixtures.badJSON(at: Date().addingTimeInterval(-600))
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(bad.utf8)).status == 201)
            let badScore = try await Self.currentScore(site, live.database)
            // Three good results outweigh the bad one in the window: the verdict rises.
            for minutes in [5, 4, 3] {
                let good = ReadFixtures.goodJSON(at: Date().addingTimeInterval(-60 * Double(minutes)))
                #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(good.utf8)).status == 201)
            }
            let goodScore = try await Self.currentScore(site, live.database)

            let changes = try await live.database.query(
                """
                SELECT from_verdict, to_verdict, from_score, to_score FROM site_changes
                WHERE site_id = \(site) AND kind = 'verdict_changed' ORDER BY id
                """)
            try #require(changes.count >= 2, "a first verdict and a change of it")
            // The first verdict has no score before it; the last change ends at the score stored now.
            #expect(try changes[0].decode(Int?.self, column: "from_score") == nil)
            #expect(try changes[0].decode(Int?.self, column: "to_score") == badScore)
            let last = changes[changes.count - 1]
            #expect(try last.decode(Int?.self, column: "to_score") == goodScore)
            let lastFrom = try last.decode(Int?.self, column: "from_score")
            #expect(lastFrom != nil)
            // Each change starts where the one before it ended.
            for (earlier, later) in zip(changes, changes.dropFirst()) {
                #expect(try later.decode(Int?.self, column: "from_score") == earlier.decode(Int?.self, column: "to_score"))
            }

            try await WebhookFixtures.waitUntil("every verdict change is delivered") { receiver.requests.count == changes.count }
            let data = try #require(receiver.requests.last).decoded(WebhookEventBody.self).data
            let before = try #require(data.before)
            let after = try #require(data.after)
            #expect(before.score == lastFrom)
            #expect(after.score == goodScore)
            #expect(before.verdict == (try last.decode(String?.self, column: "from_verdict")))
        }
    }

    private static func currentScore(_ site: UUID, _ database: PostgresPool) async throws -> Int? {
        try await database.query("SELECT score FROM site_assessments WHERE site_id = \(site)")[0].decode(Int?.self, column: "score")
    }
}
