import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Several replicas on one outbox, and a replica that died holding a claim.
@Suite(.serialized) struct WebhookReplicaTests {
    @Test func twoReplicasDeliverEachEventOnceAndInOrderPerSite() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            var configuration = live.configuration
            configuration.webhooks.batchSize = 3
            let second = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger)
            _ = try second.start()
            do {
                let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
                var sites: [UUID] = []
                for index in 0..<4 { sites.append(try await live.fixtures.site(name: "Site \(index)")) }
                var eventsBySite: [UUID: [Int]] = [:]
                for _ in 0..<10 {
                    for site in sites {
                        eventsBySite[site, default: []].append(
                            try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.verdict_changed", site: site))
                    }
                }
                try await WebhookFixtures.waitUntil("all 40 are delivered") {
                    try await WebhookFixtures.states(live.database).values.allSatisfy { $0 == "delivered" }
                }
                let requests = receiver.requests
                #expect(requests.count == 40, "each event sent once: \(requests.count) requests")
                #expect(Set(requests.map(\.messageID)).count == 40)
                let messageIDs = try await WebhookDeliveryTests.messageIDs(live.database)
                for (_, events) in eventsBySite {
                    let arrivals = requests.map(\.messageID).filter { id in events.contains { messageIDs[$0] == id } }
                    #expect(arrivals == events.map { messageIDs[$0] ?? "" })
                }
            } catch {
                await second.shutdown()
                throw error
            }
            await second.shutdown()
        }
    }

    @Test func anEventClaimedByAReplicaThatDiedIsDeliveredWhenItsLeaseRunsOut() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site()
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            // What a claim leaves behind when its replica is killed before the attempt is written:
            // one attempt counted, due when the lease runs out. Inserted already leased, so the
            // worker (polling every 50 ms) cannot claim it before the lease is in place; 3 s, so
            // the 1 s look below stays inside it on a loaded machine.
            let event = try await WebhookFixtures.event(
                live.database, webhook: webhook, type: "site.verdict_changed", site: site, dueAt: Date().addingTimeInterval(3))
            try await live.database.execute("UPDATE webhook_events SET attempts = 1 WHERE id = \(event)")
            try await Task.sleep(for: .seconds(1))
            #expect(receiver.requests.isEmpty, "nobody touches a claimed event while its lease runs")
            try await WebhookFixtures.waitUntil("the event is delivered") {
                try await WebhookFixtures.states(live.database)[event] == "delivered"
            }
            #expect(receiver.requests.count == 1)
            let attempts = try await live.database.query("SELECT attempts FROM webhook_events WHERE id = \(event)")[0]
            #expect(try attempts.decode(Int.self, column: "attempts") == 2)
        }
    }
}
