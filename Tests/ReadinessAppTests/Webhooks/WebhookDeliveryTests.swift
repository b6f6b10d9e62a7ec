import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport
import SystemCrypto

/// The delivery worker of a real service over a real database, sending to a real receiver on
/// a loopback port. Serialized: each test runs a worker and a receiver of its own.
@Suite(.serialized) struct WebhookDeliveryTests {
    @Test func downThen500Then429ThenOKDeliversEveryEventOnceInOrderPerSite() async throws {
        let receiver = try WebhookReceiver(script: [
            .init(status: 500), .init(status: 429, headers: ["Retry-After": "1"]), .init(status: 200),
        ])
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let secret = try WebhookFixtures.secret()
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: secret)
            let first = try await live.fixtures.site(name: "First"), second = try await live.fixtures.site(name: "Second")
            var expected: [UUID: [Int]] = [first: [], second: []]
            for index in 0..<3 {
                for site in [first, second] {
                    let type = index == 1 ? "site.finding_appeared" : "site.verdict_changed"
                    expected[site]?.append(try await WebhookFixtures.event(live.database, webhook: webhook, type: type, site: site))
                }
            }
            // Down: nothing listens on the port; attempts fail to connect and are retried.
            try await WebhookFixtures.waitUntil("two connection errors are recorded") {
                try await live.database.query("SELECT count(*)::int AS n FROM webhook_attempts WHERE error IS NOT NULL")[0]
                    .decode(Int.self, column: "n") >= 2
            }
            try receiver.start()
            try await WebhookFixtures.waitUntil("every event is delivered") {
                try await WebhookFixtures.states(live.database).values.allSatisfy { $0 == "delivered" }
            }

            let requests = receiver.requests
            let statuses = requests.map(\.answered)
            #expect(Array(statuses.prefix(2)) == [500, 429])
            // Every event arrived, and none twice once it had been answered with a 2xx.
            let delivered = requests.filter { $0.answered == 200 }.map(\.messageID)
            #expect(delivered.count == 6)
            #expect(Set(delivered).count == 6)
            // In order per site: the messages of one site arrive in the order of their events.
            let messageIDs = try await Self.messageIDs(live.database)
            for (site, events) in expected {
                let arrivals = requests.map(\.messageID).filter { id in events.contains { messageIDs[$0] == id } }
                var firstArrival: [String] = []
                for id in arrivals where !firstArrival.contains(id) { firstArrival.append(id) }
                #expect(firstArrival == events.map { messageIDs[$0] ?? "" }, "site \(site)")
                // And a later event was never sent while an earlier one was still pending.
                let order = arrivals.compactMap { id in events.firstIndex { messageIDs[$0] == id } }
                #expect(order == order.sorted())
            }
            // Retry-After: 1 was honoured: the next attempt was set a second after the 429.
            let wait = try await live.database.query(
                "SELECT EXTRACT(EPOCH FROM next_attempt_at - attempted_at)::float8 AS s FROM webhook_attempts WHERE status_code = 429")
            #expect(try wait[0].decode(Double.self, column: "s") >= 0.99)
            // The same bytes on every attempt of an event (frozen at the first), signed each time.
            let byMessage = Dictionary(grouping: requests, by: \.messageID)
            for (_, attempts) in byMessage {
                #expect(Set(attempts.map(\.body)).count == 1)
            }
            let key = try #require(StandardWebhookSignature.key(of: secret))
            for request in requests {
                let timestamp = try #require(Int(request.headers["webhook-timestamp"] ?? ""))
                let expectedSignature = StandardWebhookSignature.signature(key: key, messageID: request.messageID, timestamp: timestamp, body: request.body)
                #expect(request.headers["webhook-signature"] == expectedSignature)
            }
        }
    }

    /// A body is frozen with its first attempt's record: the retry sends the stored bytes,
    /// which still name the site as it was then, not as it is when the retry is made.
    @Test func aRetrySendsTheBodyFrozenWithTheFirstAttempt() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 500), .init(status: 204)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            let site = try await live.fixtures.site(name: "Name at the first attempt")
            let event = try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.verdict_changed", site: site)
            try await WebhookFixtures.waitUntil("the first attempt is recorded") {
                try await live.database.query("SELECT count(*)::int AS n FROM webhook_attempts WHERE status_code = 500")[0]
                    .decode(Int.self, column: "n") == 1
            }
            try await live.database.execute("UPDATE sites SET name = 'Renamed before the retry' WHERE id = \(site)")
            try await WebhookFixtures.waitUntil("the retry is delivered") {
                try await WebhookFixtures.states(live.database)[event] == "delivered"
            }
            let bodies = receiver.requests.map { String(decoding: $0.body, as: UTF8.self) }
            #expect(bodies.count == 2)
            #expect(Set(bodies).count == 1)
            #expect(bodies.first?.contains("Name at the first attempt") == true)
            let stored = try await live.database.query("SELECT payload FROM webhook_events WHERE id = \(event)")[0]
                .decode(String?.self, column: "payload")
            #expect(stored == bodies.first, "the row keeps the bytes that were sent")
        }
    }

    @Test func aPayloadCarriesTheSiteTheVerdictsTheFindingsAndTheLinks() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 204)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: {
            WebhookFixtures.configure(&$0)
            $0.webhooks.publicURL = "https://readiness.example.com/"
        }) { live in
            let site = try await live.fixtures.site(name: "Branch 7", region: "emea", tags: ["retail"])
            let agent = try await live.fixtures.agent(site: site)
            // The assessment the payload quotes: one result with 500 ms round trips (a minimal rule fails).
            let bad = ReadFixtures.badJSON(at: Date().addingTimeInterval(-60))
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(bad.utf8)).status == 201)
            let changeID = try await live.database.query(
                """
                INSERT INTO site_changes (site_id, at, run_id, kind, from_verdict, to_verdict)
                VALUES (\(site), now(), \(UUID()), 'verdict_changed', 'optimal', 'not_ready') RETURNING id
                """)[0].decode(Int.self, column: "id")
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.verdict_changed", site: site, change: changeID)
            try await WebhookFixtures.waitUntil("the event is delivered") { receiver.requests.count == 1 }

            let request = try #require(receiver.requests.first)
            #expect(request.body.count < 20 * 1024)
            #expect(request.headers["content-type"] == "application/json")
            // The timestamp is read as an RFC 3339 time: decoding fails on anything else.
            let event = try request.decoded(WebhookEventBody.self)
            #expect(event.type == "site.verdict_changed")
            let data = event.data
            let siteRef = try #require(data.site)
            #expect(siteRef.id == site.lower)
            #expect(siteRef.name == "Branch 7")
            #expect(siteRef.region == "emea")
            #expect(siteRef.tags == ["retail"])
            #expect(data.after?.verdict == "not_ready")
            #expect(data.before?.verdict != nil)
            #expect(data.runId != nil)
            let blocking = try #require(data.findings.first)
            #expect(blocking.status == "fail")
            #expect(blocking.tierBlocked == "minimal")
            #expect(blocking.observed != nil)
            #expect(blocking.threshold != nil)
            #expect(blocking.remediation?.isEmpty == false)
            #expect(blocking.source != nil)
            let links = try #require(data.links)
            #expect(links["remediation"] == "https://readiness.example.com/v1/sites/\(site.lower)/remediation")
        }
    }

    @Test func gone410DisablesTheSubscriptionAndOther4xxFailWithoutRetry() async throws {
        let gone = try WebhookReceiver(script: [.init(status: 410)])
        let refusing = try WebhookReceiver(script: [.init(status: 400)])
        try gone.start()
        try refusing.start()
        defer { Task { await gone.stop(); await refusing.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site()
            let goneHook = try await WebhookFixtures.webhook(live.database, url: gone.url, secret: try WebhookFixtures.secret())
            let refusingHook = try await WebhookFixtures.webhook(live.database, url: refusing.url, secret: try WebhookFixtures.secret())
            let goneFirst = try await WebhookFixtures.event(live.database, webhook: goneHook, type: "site.verdict_changed", site: site)
            let goneSecond = try await WebhookFixtures.event(live.database, webhook: goneHook, type: "site.verdict_changed", site: site)
            let refused = try await WebhookFixtures.event(live.database, webhook: refusingHook, type: "site.verdict_changed", site: site)
            try await WebhookFixtures.waitUntil("both first events failed") {
                let states = try await WebhookFixtures.states(live.database)
                return states[goneFirst] == "failed" && states[refused] == "failed"
            }
            let hook = try await live.database.query("SELECT enabled, disabled_reason FROM webhooks WHERE id = \(goneHook)")[0]
            #expect(try hook.decode(Bool.self, column: "enabled") == false)
            #expect(try hook.decode(String?.self, column: "disabled_reason")?.contains("410") == true)
            #expect(try await live.database.query("SELECT enabled FROM webhooks WHERE id = \(refusingHook)")[0].decode(Bool.self, column: "enabled"))
            // Nothing more is sent to the disabled subscription, and the 400 was not retried.
            try await Task.sleep(for: .milliseconds(400))
            #expect(gone.requests.count == 1)
            #expect(refusing.requests.count == 1)
            #expect(try await WebhookFixtures.states(live.database)[goneSecond] == "pending")
            let outcomes = try await live.database.query("SELECT outcome FROM webhook_attempts ORDER BY id").map { try $0.decode(String.self, column: "outcome") }
            #expect(outcomes.sorted() == ["disabled", "failed"])
        }
    }

    /// A URL that does not parse (written with SQL: the API refuses it) fails each event's
    /// attempt with the reason and no retry; the round parses it once for all of them.
    @Test func aSubscriptionURLThatDoesNotParseFailsItsEventsWithTheReason() async throws {
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let hook = try await WebhookFixtures.webhook(live.database, url: "not a url", secret: try WebhookFixtures.secret())
            var events: [Int] = []
            for name in ["One", "Two"] {
                let site = try await live.fixtures.site(name: name)
                events.append(try await WebhookFixtures.event(live.database, webhook: hook, type: "site.verdict_changed", site: site))
            }
            try await WebhookFixtures.waitUntil("both events failed") {
                let states = try await WebhookFixtures.states(live.database)
                return events.allSatisfy { states[$0] == "failed" }
            }
            let errors = try await live.database.query("SELECT error FROM webhook_attempts ORDER BY id").map { try $0.decode(String?.self, column: "error") }
            #expect(errors == Array(repeating: "the subscription's URL is not an absolute http(s) URL", count: 2))
        }
    }

    @Test func privateDestinationsAreRefusedUnlessAllowed() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: {
            WebhookFixtures.configure(&$0)
            $0.webhooks.allowPrivateDestinations = false
        }) { live in
            let site = try await live.fixtures.site()
            let plain = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            let loopback = try await WebhookFixtures.webhook(
                live.database, url: "https://127.0.0.1:\(receiver.port)/hook", secret: try WebhookFixtures.secret())
            let overHTTP = try await WebhookFixtures.event(live.database, webhook: plain, type: "site.verdict_changed", site: site)
            let toLoopback = try await WebhookFixtures.event(live.database, webhook: loopback, type: "site.verdict_changed", site: site)
            try await WebhookFixtures.waitUntil("both are refused") {
                let states = try await WebhookFixtures.states(live.database)
                return states[overHTTP] == "failed" && states[toLoopback] == "failed"
            }
            let errors = try await live.database.query("SELECT error FROM webhook_attempts ORDER BY event_id").map { try $0.decode(String?.self, column: "error") ?? "" }
            #expect(errors[0].contains("https is required"))
            #expect(errors[1].contains("not allowed"))
            #expect(receiver.requests.isEmpty)
        }
    }

    @Test func noSecretOrRoutingKeyReachesTheLog() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 500), .init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        let log = CapturedLog()
        try await LiveService.with(logger: log.logger, configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site()
            let secret = try WebhookFixtures.secret(), previous = try WebhookFixtures.secret()
            let routingKey = "R0UT1NGKEY" + StoredSiteAssessment.hex(try SecureRandom.bytes(count: 8))
            let standard = try await WebhookFixtures.webhook(
                live.database, url: receiver.url + "?token=hunter2", secret: secret, previousSecret: previous,
                previousExpiresAt: Date().addingTimeInterval(3600))
            let pagerDuty = try await WebhookFixtures.webhook(live.database, url: receiver.url, format: "pagerduty", secret: routingKey)
            let one = try await WebhookFixtures.event(live.database, webhook: standard, type: "site.verdict_changed", site: site)
            let two = try await WebhookFixtures.event(live.database, webhook: pagerDuty, type: "site.verdict_changed", site: site)
            try await WebhookFixtures.waitUntil("both are settled") {
                let states = try await WebhookFixtures.states(live.database)
                return states[one] == "delivered" && states[two] != "pending"
            }
            let text = log.text
            #expect(text.contains("webhook attempt"))
            for secretText in [secret, previous, routingKey, String(secret.dropFirst(6)), "hunter2"] {
                #expect(!text.contains(secretText))
            }
            let stored = try await live.database.query("SELECT payload::text AS p FROM webhook_events").map { try $0.decode(String?.self, column: "p") ?? "" }
            #expect(!stored.contains { $0.contains(routingKey) }, "the routing key is added at send time, never stored in the body")
        }
    }

    /// A round of 20 events for 20 sites (so per-site order holds none back) makes at most
    /// `concurrency` (8) attempts at once. The receiver holds every request until 8 are open:
    /// a 9th would be a breach of the cap; then it answers them all and every event lands.
    @Test func aRoundMakesAtMostItsConcurrencyOfAttemptsAtOnce() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 204, heldUntilOpened: true)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: {
            WebhookFixtures.configure(&$0)
            // Held requests must not time out while the test fills the round.
            $0.webhooks.requestTimeout = .seconds(30)
        }) { live in
            #expect(live.configuration.webhooks.concurrency == 8)
            let webhook = try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            var sites = PostgresArray<UUID>()
            for index in 0..<20 { sites.append(try await live.fixtures.site(name: "Site \(index)")) }
            // One statement: the worker claims all 20 in one round, not a first few alone.
            try await live.database.execute(
                """
                INSERT INTO webhook_events (webhook_id, message_id, type, site_id, occurred_at, next_attempt_at)
                SELECT \(webhook), 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'site.verdict_changed', site, now(), now()
                FROM unnest(\(sites)::uuid[]) AS site
                """)
            try await WebhookFixtures.waitUntil("8 attempts are open at once") { receiver.requests.count >= 8 }
            // Give a 9th attempt, were the cap broken, the time to arrive.
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.requests.count == 8)
            receiver.openGate()
            try await WebhookFixtures.waitUntil("every event is delivered") {
                let states = try await WebhookFixtures.states(live.database)
                return states.count == 20 && states.values.allSatisfy { $0 == "delivered" }
            }
            #expect(receiver.mostRequestsInFlight == 8)
            #expect(Set(receiver.requests.map(\.messageID)).count == 20)
        }
    }

    static func messageIDs(_ database: PostgresPool) async throws -> [Int: String] {
        var ids: [Int: String] = [:]
        for row in try await database.query("SELECT id, message_id FROM webhook_events") {
            ids[try row.decode(Int.self, column: "id")] = try row.decode(String.self, column: "message_id")
        }
        return ids
    }
}
