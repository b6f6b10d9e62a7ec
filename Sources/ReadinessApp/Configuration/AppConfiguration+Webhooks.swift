import Foundation

/// Webhook settings (`READINESS_WEBHOOK_*`, issue 16).
public struct WebhookSettings: Sendable, Equatable {
    /// `READINESS_WEBHOOK_ALLOW_PRIVATE`: lets a subscription's URL be plain `http` and reach
    /// loopback, private, link-local and metadata addresses. Off: a webhook is a request the
    /// service makes on an administrator's behalf, and without this check it would reach what
    /// only the service can (a cloud's metadata endpoint, the database host). For tests and
    /// receivers inside the operator's own network.
    public var allowPrivateDestinations = false
    /// `READINESS_WEBHOOK_STALE_SWEEP_S`: how often a replica looks for sites that went stale or
    /// fresh again (`site.stale`, `site.fresh`); one replica at a time does the work.
    public var staleSweepInterval: Duration = .seconds(60)

    public init() {}
}

extension AppConfiguration {
    mutating func readWebhookSettings(_ environment: [String: String]) throws {
        if let value = environment["READINESS_WEBHOOK_ALLOW_PRIVATE"] {
            webhooks.allowPrivateDestinations = try Self.boolean(value, "READINESS_WEBHOOK_ALLOW_PRIVATE")
        }
        if let value = environment["READINESS_WEBHOOK_STALE_SWEEP_S"] {
            webhooks.staleSweepInterval = .seconds(try Self.integer(value, "READINESS_WEBHOOK_STALE_SWEEP_S", in: 1...3600))
        }
    }

    /// `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`, `` (any case); anything else is an
    /// error naming the variable rather than a silent "off".
    static func boolean(_ text: String, _ variable: String) throws -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default:
            throw ConfigurationError(variable: variable, detail: "expected true or false (1/0, yes/no, on/off), got '\(text)'")
        }
    }
}
