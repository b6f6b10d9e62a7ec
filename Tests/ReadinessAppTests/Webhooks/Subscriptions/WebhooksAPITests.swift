import JSON
import BufferedLog
import Foundation
import Logging
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// `/v1/webhooks` against the real server and database.
@Suite struct WebhooksAPITests {
    static let routingKey = "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12"

    static func allowingPrivate(_ configuration: inout AppConfiguration) {
        configuration.webhooks.allowPrivateDestinations = true
    }

    static func standard(_ name: String = "ticketing", url: String = "http://127.0.0.1:9/hook") -> [String: Any] {
        ["name": name, "url": url, "event_types": ["site.verdict_changed", "site.finding_appeared"]]
    }

    @Test func aStandardWebhookShowsItsSecretOnceAndNeverAgain() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            var body = Self.standard()
            body["filters"] = ["regions": ["emea"], "verdicts": ["not_ready"], "tiers_blocked": ["minimal"]]
            let created = try await live.client.post("/v1/webhooks", token: admin, json: body)
            #expect(created.status == 201)
            let answer = try created.decoded(WebhookCreatedAnswer.self)
            let secret = try #require(answer.secret)
            #expect(secret.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
            let webhook = answer.webhook
            let id = webhook.id
            #expect(created.header("Location") == "/v1/webhooks/\(id)")
            #expect(webhook.format == "standard")
            #expect(webhook.enabled == true)
            #expect(webhook.filters.regions == ["emea"])
            // Unset members are written as null, not left out.
            let tree = try JSONParser.parse(created.body)
            #expect(tree["webhook"]?["disabled_reason"] == .null)
            #expect(tree["webhook"]?["previous_secret_expires_at"] == .null)
            #expect(tree["webhook"]?["filters"]?["site_ids"] == .null)

            let read = try await live.client.get("/v1/webhooks/\(id)", token: admin)
            #expect(read.status == 200)
            #expect(try read.decoded(WebhookBody.self).url == "http://127.0.0.1:9/hook")
            #expect(try JSONParser.parse(read.body)["secret"] == nil)
            #expect(!read.text.contains(secret))
            let list = try await live.client.get("/v1/webhooks", token: admin)
            #expect(try list.decoded(WebhookListAnswer.self).items.map(\.id) == [id])
            #expect(!list.text.contains(secret))
            let stored = try await live.database.query("SELECT secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == secret)
        }
    }

    @Test func aPagerDutyRoutingKeyIsStoredAndNeverAnswered() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            var body = Self.standard("on-call", url: "http://127.0.0.1:9/v2/enqueue")
            body["format"] = "pagerduty"
            body["routing_key"] = Self.routingKey
            let created = try await live.client.post("/v1/webhooks", token: admin, json: body)
            #expect(created.status == 201)
            #expect(try JSONParser.parse(created.body)["secret"] == .null)
            #expect(!created.text.contains(Self.routingKey))
            let id = try created.decoded(WebhookCreatedAnswer.self).webhook.id
            #expect(!(try await live.client.get("/v1/webhooks/\(id)", token: admin)).text.contains(Self.routingKey))
            let stored = try await live.database.query("SELECT secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == Self.routingKey)

            var missing = Self.standard()
            missing["format"] = "pagerduty"
            #expect(try await live.client.post("/v1/webhooks", token: admin, json: missing).decoded(ProblemBody.self).pointers == ["/routing_key"])
            var keyForStandard = Self.standard()
            keyForStandard["routing_key"] = Self.routingKey
            #expect(try await live.client.post("/v1/webhooks", token: admin, json: keyForStandard).decoded(ProblemBody.self).pointers == ["/routing_key"])
        }
    }

    static var invalidBodies: [([String: Any], [String])] { [
        (["url": "http://127.0.0.1/", "event_types": ["site.stale"]], ["/name"]),
        (["name": "n", "event_types": ["site.stale"]], ["/url"]),
        (["name": "n", "url": "http://127.0.0.1/"], ["/event_types"]),
        (["name": "n", "url": "not a url", "event_types": ["site.stale"]], ["/url"]),
        (["name": "n", "url": "ftp://127.0.0.1/", "event_types": ["site.stale"]], ["/url"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": []], ["/event_types"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.exploded", "ping"]], ["/event_types/0", "/event_types/1"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale", "site.stale"]], ["/event_types/1"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"], "format": "slack"], ["/format"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"], "filters": ["regions": []]], ["/filters/regions"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"],
          "filters": ["verdicts": ["bad"], "tiers_blocked": ["maximal"], "finding_codes": ["lower_case"], "site_ids": ["x"], "color": ["red"]]],
         ["/filters/verdicts/0", "/filters/tiers_blocked/0", "/filters/finding_codes/0", "/filters/site_ids/0", "/filters/color"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"], "filters": ["site_ids": [UUID().uuidString]]],
         ["/filters/site_ids/0"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"], "filters": "emea"], ["/filters"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"], "enabled": "yes"], ["/enabled"]),
        (["name": "n", "url": "http://127.0.0.1/", "event_types": ["site.stale"], "secret": "mine"], ["/secret"]),
    ] }

    @Test func invalidCreationsNameEveryFault() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            for (body, pointers) in Self.invalidBodies {
                let response = try await live.client.post("/v1/webhooks", token: admin, json: body)
                #expect(response.status == 422, "\(body)")
                #expect(response.header("Content-Type") == "application/problem+json")
                // A literal dictionary's members come in no set order.
                #expect(try response.decoded(ProblemBody.self).pointers.sorted() == pointers.sorted(), "\(body)")
            }
            #expect(try await live.database.query("SELECT 1 FROM webhooks").isEmpty)
        }
    }

    static let refusedDestinations = [
        "http://93.184.216.34/hook",  // plain http
        "https://127.0.0.1/hook", "https://10.0.0.8/hook", "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook", "https://[fd00::1]/hook", "https://[fe80::1]/hook", "https://localhost:8443/hook",
    ]

    @Test func destinationsInsideTheNetworkAreRefusedWithoutTheSetting() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            for url in Self.refusedDestinations {
                let response = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard(url: url))
                #expect(response.status == 422, "\(url)")
                #expect(try response.decoded(ProblemBody.self).pointers == ["/url"], "\(url)")
            }
            let detail = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard(url: "https://169.254.169.254/"))
            #expect(try detail.decoded(ProblemBody.self).errors?.first?.detail?.contains("metadata") == true)
            let accepted = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard(url: "https://93.184.216.34/hook"))
            #expect(accepted.status == 201)
            // A change of URL is checked as a creation is.
            let id = try accepted.decoded(WebhookCreatedAnswer.self).webhook.id
            let patched = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: ["url": "https://192.168.0.1/"])
            #expect(try patched.decoded(ProblemBody.self).pointers == ["/url"])
        }
    }

    @Test func aPatchChangesWhatItNamesAndClearsFiltersSetToNull() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            var body = Self.standard()
            body["filters"] = ["regions": ["emea"], "tags": ["hq"]]
            let created = try await live.client.post("/v1/webhooks", token: admin, json: body)
            let id = try created.decoded(WebhookCreatedAnswer.self).webhook.id

            let patched = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: [
                "name": "renamed", "event_types": ["site.stale", "site.fresh"], "enabled": false,
                "filters": ["regions": NSNull(), "site_ids": [site.lower]],
            ])
            #expect(patched.status == 200)
            let changed = try patched.decoded(WebhookBody.self)
            #expect(changed.name == "renamed")
            #expect(changed.eventTypes == ["site.stale", "site.fresh"])
            #expect(changed.enabled == false)
            #expect(try JSONParser.parse(patched.body)["filters"]?["regions"] == .null)
            #expect(changed.filters.tags == ["hq"])
            #expect(changed.filters.siteIds == [site.lower])
            #expect(changed.url == "http://127.0.0.1:9/hook")

            let cleared = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: ["filters": NSNull()])
            guard case .object(let clearedFilters)? = try JSONParser.parse(cleared.body)["filters"] else {
                Issue.record("filters is not an object: \(cleared.text)")
                return
            }
            #expect(clearedFilters.allSatisfy { $0.value == .null })

            // Enabling again clears the reason the service gave for disabling it.
            try await live.database.execute(
                "UPDATE webhooks SET enabled = false, disabled_reason = 'the receiver answered 410 Gone' WHERE id = \(UUID(uuidString: id)!)")
            #expect(try await live.client.get("/v1/webhooks/\(id)", token: admin).decoded(WebhookBody.self).disabledReason
                == "the receiver answered 410 Gone")
            let enabled = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: ["enabled": true])
            #expect(try enabled.decoded(WebhookBody.self).enabled == true)
            #expect(try JSONParser.parse(enabled.body)["disabled_reason"] == .null)

            let refused = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: [
                "format": "pagerduty", "routing_key": Self.routingKey, "disabled_reason": "x",
            ])
            #expect(refused.status == 422)
            #expect(Set(try refused.decoded(ProblemBody.self).pointers) == ["/format", "/routing_key", "/disabled_reason"])
            #expect(try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: [:]).decoded(ProblemBody.self).pointers == [""])
            #expect(try await live.client.patch("/v1/webhooks/\(UUID().lower)", token: admin, json: ["name": "x"]).status == 404)
        }
    }

    @Test func rotationAnswersANewSecretAndKeepsTheOldOneForTheOverlap() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard())
            let createdAnswer = try created.decoded(WebhookCreatedAnswer.self)
            let first = try #require(createdAnswer.secret)
            let id = createdAnswer.webhook.id

            let before = Date()
            let rotated = try await live.client.send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin)
            #expect(rotated.status == 200)
            let rotatedAnswer = try rotated.decoded(WebhookCreatedAnswer.self)
            let second = try #require(rotatedAnswer.secret)
            #expect(second.hasPrefix("whsec_") && second != first)
            let expires = try #require(rotatedAnswer.webhook.previousSecretExpiresAt)
            #expect(abs(expires.timeIntervalSince(before) - 86_400) < 60, "a day's overlap by default")
            let stored = try await live.database.query(
                "SELECT secret, previous_secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == second)
            #expect(try stored[0].decode(String.self, column: "previous_secret") == first)
            #expect(!(try await live.client.get("/v1/webhooks/\(id)", token: admin)).text.contains(second))

            let short = try await live.client.post("/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["overlap_s": 3600])
            let shortExpires = try #require(try short.decoded(WebhookCreatedAnswer.self).webhook.previousSecretExpiresAt)
            #expect(abs(shortExpires.timeIntervalSince(before) - 3_600) < 60)
            let bad = try await live.client.post("/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["overlap_s": -1, "routing_key": "x"])
            #expect(Set(try bad.decoded(ProblemBody.self).pointers) == ["/overlap_s", "/routing_key"])
            #expect(try await live.client.send("POST", "/v1/webhooks/\(UUID().lower)/rotate-secret", token: admin).status == 404)
        }
    }

    @Test func aPagerDutyRotationReplacesTheRoutingKeyAndAnswersNoSecret() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            var body = Self.standard("on-call")
            body["format"] = "pagerduty"
            body["routing_key"] = Self.routingKey
            let created = try await live.client.post("/v1/webhooks", token: admin, json: body)
            let id = try created.decoded(WebhookCreatedAnswer.self).webhook.id
            let newKey = "NEWKEY0123456789NEWKEY0123456789"
            let rotated = try await live.client.post("/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["routing_key": newKey])
            #expect(rotated.status == 200)
            #expect(try JSONParser.parse(rotated.body)["secret"] == .null)
            #expect(!rotated.text.contains(newKey))
            let stored = try await live.database.query("SELECT secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == newKey)
            #expect(try await live.client.send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin).decoded(ProblemBody.self).pointers == ["/routing_key"])
        }
    }

    @Test func theListPagesByCursorAndDeletionRemovesOne() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            var ids: [String] = []
            for index in 0..<3 {
                let created = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard("hook \(index)"))
                ids.append(try created.decoded(WebhookCreatedAnswer.self).webhook.id)
            }
            let first = try await live.client.get("/v1/webhooks?limit=2", token: admin)
            let firstPage = try first.decoded(WebhookListAnswer.self)
            #expect(firstPage.items.count == 2)
            let next = try #require(first.nextLink)
            let second = try await live.client.get(next, token: admin)
            let secondPage = try second.decoded(WebhookListAnswer.self)
            #expect(secondPage.items.count == 1)
            #expect(try JSONParser.parse(second.body)["next_cursor"] == .null)
            #expect(Set((firstPage.items + secondPage.items).map(\.id)) == Set(ids))

            #expect(try await live.client.delete("/v1/webhooks/\(ids[0])", token: admin).status == 204)
            #expect(try await live.client.get("/v1/webhooks/\(ids[0])", token: admin).status == 404)
            #expect(try await live.client.delete("/v1/webhooks/\(ids[0])", token: admin).status == 404)
            #expect(try await live.client.get("/v1/webhooks/not-a-uuid", token: admin).status == 404)
            #expect(try await live.client.get("/v1/webhooks?cursor=abc", token: admin).status == 400)
        }
    }

    @Test func onlyAdminsManageWebhooks() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let read = try await live.fixtures.token(.read)
            #expect(try await live.client.get("/v1/webhooks", token: read).status == 403)
            #expect(try await live.client.post("/v1/webhooks", token: read, json: Self.standard()).status == 403)
            #expect(try await live.client.get("/v1/webhooks").status == 401)
        }
    }

    @Test func secretsRoutingKeysAndURLsNeverReachTheLog() async throws {
        let sink = RecordingSink()
        let output = BufferedLogOutput(sink: sink, format: .text, batchPause: .zero)
        defer { output.shutdown() }
        let logger = Logger(label: "readiness") { BufferedLogHandler(label: $0, output: output, logLevel: .trace) }
        var revealed: [String] = [Self.routingKey, "127.0.0.1:9/hook"]
        try await LiveService.with(logger: logger, configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard())
            let createdAnswer = try created.decoded(WebhookCreatedAnswer.self)
            revealed.append(try #require(createdAnswer.secret))
            let rotated = try await live.client.send("POST", "/v1/webhooks/\(createdAnswer.webhook.id)/rotate-secret", token: admin)
            revealed.append(try #require(try rotated.decoded(WebhookCreatedAnswer.self).secret))
            var pagerDuty = Self.standard("on-call")
            pagerDuty["format"] = "pagerduty"
            pagerDuty["routing_key"] = Self.routingKey
            #expect(try await live.client.post("/v1/webhooks", token: admin, json: pagerDuty).status == 201)
        }
        output.flush()
        let lines = sink.lines
        #expect(lines.contains { $0.contains("webhook created") })
        for line in lines {
            for secret in revealed { #expect(!line.contains(secret), "\(line)") }
        }
    }
}
