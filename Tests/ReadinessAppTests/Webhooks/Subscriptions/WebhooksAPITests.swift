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
            let secret = try #require(created.json?["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
            let webhook = try #require(created.json?["webhook"] as? [String: Any])
            let id = try #require(webhook["id"] as? String)
            #expect(created.header("Location") == "/v1/webhooks/\(id)")
            #expect(webhook["format"] as? String == "standard")
            #expect(webhook["enabled"] as? Bool == true)
            #expect(webhook["disabled_reason"] is NSNull)
            #expect(webhook["previous_secret_expires_at"] is NSNull)
            let filters = try #require(webhook["filters"] as? [String: Any])
            #expect(filters["regions"] as? [String] == ["emea"])
            #expect(filters["site_ids"] is NSNull)

            let read = try await live.client.get("/v1/webhooks/\(id)", token: admin)
            #expect(read.status == 200)
            #expect(read.json?["url"] as? String == "http://127.0.0.1:9/hook")
            #expect(read.json?["secret"] == nil)
            #expect(!read.text.contains(secret))
            let list = try await live.client.get("/v1/webhooks", token: admin)
            #expect(list.items.map { $0["id"] as? String } == [id])
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
            #expect(created.json?["secret"] is NSNull)
            #expect(!created.text.contains(Self.routingKey))
            let id = try #require((created.json?["webhook"] as? [String: Any])?["id"] as? String)
            #expect(!(try await live.client.get("/v1/webhooks/\(id)", token: admin)).text.contains(Self.routingKey))
            let stored = try await live.database.query("SELECT secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == Self.routingKey)

            var missing = Self.standard()
            missing["format"] = "pagerduty"
            #expect(try await live.client.post("/v1/webhooks", token: admin, json: missing).errorPointers == ["/routing_key"])
            var keyForStandard = Self.standard()
            keyForStandard["routing_key"] = Self.routingKey
            #expect(try await live.client.post("/v1/webhooks", token: admin, json: keyForStandard).errorPointers == ["/routing_key"])
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
                #expect(response.errorPointers.sorted() == pointers.sorted(), "\(body)")
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
                #expect(response.errorPointers == ["/url"], "\(url)")
            }
            let detail = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard(url: "https://169.254.169.254/"))
            let errors = detail.json?["errors"] as? [[String: Any]]
            #expect((errors?.first?["detail"] as? String)?.contains("metadata") == true)
            let accepted = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard(url: "https://93.184.216.34/hook"))
            #expect(accepted.status == 201)
            // A change of URL is checked as a creation is.
            let id = try #require((accepted.json?["webhook"] as? [String: Any])?["id"] as? String)
            let patched = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: ["url": "https://192.168.0.1/"])
            #expect(patched.errorPointers == ["/url"])
        }
    }

    @Test func aPatchChangesWhatItNamesAndClearsFiltersSetToNull() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            var body = Self.standard()
            body["filters"] = ["regions": ["emea"], "tags": ["hq"]]
            let created = try await live.client.post("/v1/webhooks", token: admin, json: body)
            let id = try #require((created.json?["webhook"] as? [String: Any])?["id"] as? String)

            let patched = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: [
                "name": "renamed", "event_types": ["site.stale", "site.fresh"], "enabled": false,
                "filters": ["regions": NSNull(), "site_ids": [site.lower]],
            ])
            #expect(patched.status == 200)
            #expect(patched.json?["name"] as? String == "renamed")
            #expect(patched.json?["event_types"] as? [String] == ["site.stale", "site.fresh"])
            #expect(patched.json?["enabled"] as? Bool == false)
            let filters = try #require(patched.json?["filters"] as? [String: Any])
            #expect(filters["regions"] is NSNull)
            #expect(filters["tags"] as? [String] == ["hq"])
            #expect(filters["site_ids"] as? [String] == [site.lower])
            #expect(patched.json?["url"] as? String == "http://127.0.0.1:9/hook")

            let cleared = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: ["filters": NSNull()])
            #expect((cleared.json?["filters"] as? [String: Any])?.values.allSatisfy { $0 is NSNull } == true)

            // Enabling again clears the reason the service gave for disabling it.
            try await live.database.execute(
                "UPDATE webhooks SET enabled = false, disabled_reason = 'the receiver answered 410 Gone' WHERE id = \(UUID(uuidString: id)!)")
            #expect(try await live.client.get("/v1/webhooks/\(id)", token: admin).json?["disabled_reason"] as? String
                == "the receiver answered 410 Gone")
            let enabled = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: ["enabled": true])
            #expect(enabled.json?["enabled"] as? Bool == true)
            #expect(enabled.json?["disabled_reason"] is NSNull)

            let refused = try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: [
                "format": "pagerduty", "routing_key": Self.routingKey, "disabled_reason": "x",
            ])
            #expect(refused.status == 422)
            #expect(Set(refused.errorPointers) == ["/format", "/routing_key", "/disabled_reason"])
            #expect(try await live.client.patch("/v1/webhooks/\(id)", token: admin, json: [:]).errorPointers == [""])
            #expect(try await live.client.patch("/v1/webhooks/\(UUID().lower)", token: admin, json: ["name": "x"]).status == 404)
        }
    }

    @Test func rotationAnswersANewSecretAndKeepsTheOldOneForTheOverlap() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard())
            let first = try #require(created.json?["secret"] as? String)
            let id = try #require((created.json?["webhook"] as? [String: Any])?["id"] as? String)

            let before = Date()
            let rotated = try await live.client.send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin)
            #expect(rotated.status == 200)
            let second = try #require(rotated.json?["secret"] as? String)
            #expect(second.hasPrefix("whsec_") && second != first)
            let expiresText = try #require((rotated.json?["webhook"] as? [String: Any])?["previous_secret_expires_at"] as? String)
            let expires = try #require(RFC3339Timestamp.parse(expiresText))
            #expect(abs(expires.timeIntervalSince(before) - 86_400) < 60, "a day's overlap by default")
            let stored = try await live.database.query(
                "SELECT secret, previous_secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == second)
            #expect(try stored[0].decode(String.self, column: "previous_secret") == first)
            #expect(!(try await live.client.get("/v1/webhooks/\(id)", token: admin)).text.contains(second))

            let short = try await live.client.post("/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["overlap_s": 3600])
            let shortExpires = try #require(RFC3339Timestamp.parse(
                (short.json?["webhook"] as? [String: Any])?["previous_secret_expires_at"] as? String ?? ""))
            #expect(abs(shortExpires.timeIntervalSince(before) - 3_600) < 60)
            let bad = try await live.client.post("/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["overlap_s": -1, "routing_key": "x"])
            #expect(Set(bad.errorPointers) == ["/overlap_s", "/routing_key"])
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
            let id = try #require((created.json?["webhook"] as? [String: Any])?["id"] as? String)
            let newKey = "NEWKEY0123456789NEWKEY0123456789"
            let rotated = try await live.client.post("/v1/webhooks/\(id)/rotate-secret", token: admin, json: ["routing_key": newKey])
            #expect(rotated.status == 200)
            #expect(rotated.json?["secret"] is NSNull)
            #expect(!rotated.text.contains(newKey))
            let stored = try await live.database.query("SELECT secret FROM webhooks WHERE id = \(UUID(uuidString: id)!)")
            #expect(try stored[0].decode(String.self, column: "secret") == newKey)
            #expect(try await live.client.send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin).errorPointers == ["/routing_key"])
        }
    }

    @Test func theListPagesByCursorAndDeletionRemovesOne() async throws {
        try await LiveService.with(configure: Self.allowingPrivate) { live in
            let admin = try await live.fixtures.token(.admin)
            var ids: [String] = []
            for index in 0..<3 {
                let created = try await live.client.post("/v1/webhooks", token: admin, json: Self.standard("hook \(index)"))
                ids.append(try #require((created.json?["webhook"] as? [String: Any])?["id"] as? String))
            }
            let first = try await live.client.get("/v1/webhooks?limit=2", token: admin)
            #expect(first.items.count == 2)
            let next = try #require(first.nextLink)
            let second = try await live.client.get(next, token: admin)
            #expect(second.items.count == 1)
            #expect(second.json?["next_cursor"] is NSNull)
            #expect(Set((first.items + second.items).compactMap { $0["id"] as? String }) == Set(ids))

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
            revealed.append(try #require(created.json?["secret"] as? String))
            let id = try #require((created.json?["webhook"] as? [String: Any])?["id"] as? String)
            let rotated = try await live.client.send("POST", "/v1/webhooks/\(id)/rotate-secret", token: admin)
            revealed.append(try #require(rotated.json?["secret"] as? String))
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
