import Testing
@testable import ReadinessApp

@Suite struct WebhookSettingsTests {
    @Test func defaultsAreOffAndAMinute() throws {
        let configuration = try AppConfiguration(environment: [:])
        #expect(configuration.webhooks.allowPrivateDestinations == false)
        #expect(configuration.webhooks.staleSweepInterval == .seconds(60))
    }

    @Test(arguments: [("1", true), ("true", true), ("YES", true), ("on", true), ("0", false), ("false", false), ("off", false), ("", false)])
    func allowPrivateReadsABoolean(text: String, expected: Bool) throws {
        let configuration = try AppConfiguration(environment: ["READINESS_WEBHOOK_ALLOW_PRIVATE": text])
        #expect(configuration.webhooks.allowPrivateDestinations == expected)
    }

    @Test func malformedValuesNameTheirVariable() {
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_ALLOW_PRIVATE": "maybe"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_STALE_SWEEP_S": "0"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_STALE_SWEEP_S": "1m"]) }
        let set = try? AppConfiguration(environment: ["READINESS_WEBHOOK_STALE_SWEEP_S": "15"])
        #expect(set?.webhooks.staleSweepInterval == .seconds(15))
    }

    @Test func theAttemptTimeoutSetsTheClaimLease() throws {
        let defaults = try AppConfiguration(environment: [:])
        #expect(defaults.webhooks.requestTimeout == .seconds(15))
        #expect(defaults.webhooks.claimLease == .seconds(60))
        let short = try AppConfiguration(environment: ["READINESS_WEBHOOK_TIMEOUT_S": "2"])
        #expect(short.webhooks.requestTimeout == .seconds(2))
        #expect(short.webhooks.claimLease == .seconds(8))
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_TIMEOUT_S": "0"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_TIMEOUT_S": "61"]) }
    }

    @Test func theGatheringPauseIsReadInMillisecondsAndBounded() throws {
        #expect(try AppConfiguration(environment: [:]).webhooks.gathering == .milliseconds(200))
        #expect(try AppConfiguration(environment: ["READINESS_WEBHOOK_GATHER_MS": "0"]).webhooks.gathering == .zero)
        #expect(try AppConfiguration(environment: ["READINESS_WEBHOOK_GATHER_MS": "50"]).webhooks.gathering == .milliseconds(50))
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_GATHER_MS": "5001"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_GATHER_MS": "0.2s"]) }
    }

    @Test func theDeliveryHistoryIsKeptThirtyDaysByDefaultInWholeDays() throws {
        #expect(try AppConfiguration(environment: [:]).webhooks.historyKept == .seconds(30 * 86_400))
        #expect(try AppConfiguration(environment: ["READINESS_WEBHOOK_HISTORY_DAYS": "7"]).webhooks.historyKept == .seconds(7 * 86_400))
        #expect(try AppConfiguration(environment: ["READINESS_WEBHOOK_HISTORY_DAYS": "0"]).webhooks.historyKept == nil)
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_HISTORY_DAYS": "-1"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_WEBHOOK_HISTORY_DAYS": "3651"]) }
    }

    @Test func deliveriesReadTheProxyEnvironment() throws {
        let configuration = try AppConfiguration(environment: ["HTTPS_PROXY": "http://proxy.internal:3128", "no_proxy": "hooks.internal"])
        #expect(configuration.webhooks.proxies.proxy(secure: true, host: "hooks.example.com")?.host == "proxy.internal")
        #expect(configuration.webhooks.proxies.proxy(secure: true, host: "hooks.internal") == nil)
        #expect(try AppConfiguration(environment: [:]).webhooks.proxies.isConfigured == false)
    }
}
