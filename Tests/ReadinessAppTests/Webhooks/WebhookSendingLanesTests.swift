import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// A round's attempts go out on `concurrency` lanes that take the next attempt as their last
/// one finishes (``AttemptQueue``), so a receiver that holds one request holds up one lane,
/// not a share of the round fixed in advance.
@Suite struct WebhookSendingLanesTests {
    @Test func aHeldAttemptLeavesTheRestOfTheRoundToTheOtherLane() async throws {
        // The first request to arrive is held; every other one is answered at once.
        let receiver = try WebhookReceiver(script: [.init(status: 204, heldUntilOpened: true), .init(status: 204)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: {
            WebhookFixtures.configure(&$0)
            $0.webhooks.concurrency = 2
            // The held request must not time out while the other lane works.
            $0.webhooks.requestTimeout = .seconds(30)
        }) { live in
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            var sites = PostgresArray<UUID>()
            for index in 0..<5 { sites.append(try await live.fixtures.site(name: "Site \(index)")) }
            // One statement: one round claims all five.
            try await live.database.execute(
                """
                INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, next_attempt_at)
                SELECT \(webhook), 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'site.verdict_changed', site, now(), now()
                FROM unnest(\(sites)::uuid[]) AS site
                """)
            // Shared out in advance, the held lane's other attempts would wait behind it.
            try await WebhookFixtures.waitUntil("all five attempts arrive while the first is held") { receiver.requests.count == 5 }
            #expect(receiver.mostRequestsInFlight == 2)
            receiver.openGate()
            try await WebhookFixtures.waitUntil("every event is delivered") {
                let states = try await WebhookFixtures.states(live.database)
                return states.count == 5 && states.values.allSatisfy { $0 == "delivered" }
            }
        }
    }
}
