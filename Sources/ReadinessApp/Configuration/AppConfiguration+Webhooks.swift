import Foundation
import HTTPClient
import SystemCrypto

/// Webhook settings (`READINESS_WEBHOOK_*`, `READINESS_PUBLIC_URL`; issue 16): who may be a
/// destination, the staleness sweep, and how the delivery worker runs. The numbers
/// (15 s per attempt, retries for 24 hours) are the defaults, every one a setting so tests run
/// the whole schedule in milliseconds.
public struct WebhookSettings: Sendable {
    /// `READINESS_WEBHOOK_ALLOW_PRIVATE`: lets a subscription's URL be plain `http` and reach
    /// loopback, private, link-local and metadata addresses, at creation and at send time. Off:
    /// a webhook is a request the service makes on an administrator's behalf, and without this
    /// check it would reach what only the service can (a cloud's metadata endpoint, the
    /// database host). For tests and receivers inside the operator's own network.
    public var allowPrivateDestinations = false
    /// `READINESS_WEBHOOK_STALE_SWEEP_S`: how often a replica looks for sites that went stale or
    /// fresh again (`site.stale`, `site.fresh`); one replica at a time does the work.
    public var staleSweepInterval: Duration = .seconds(60)
    /// `READINESS_WEBHOOK_HISTORY_DAYS`: how long finished events and their attempts stay in the
    /// delivery log after their last attempt fell due (30 days, as long as the log's readers
    /// look back; ``WebhookHistorySchedule``); nil (0) keeps them for ever.
    public var historyKept: Duration? = .seconds(30 * 86_400)
    /// `READINESS_WEBHOOK_DELIVERY`: off, this replica delivers nothing (the outbox still fills;
    /// another replica delivers).
    public var enabled = true
    /// `READINESS_WEBHOOK_TIMEOUT_S`: the whole of one attempt: connect, TLS, send, and the
    /// receiver's answer (15 s, the number). It also sets the claim lease below.
    public var requestTimeout: Duration = .seconds(15)
    /// How often an idle worker looks for due events. It is woken sooner on this replica by
    /// its doorbell (``OutboxDoorbell``): after an ingest commit that wrote change rows, and
    /// after a redelivery; events enqueued elsewhere (another replica, a site's re-score, the
    /// staleness sweep, a retry falling due) wait for the poll.
    public var pollInterval: Duration = .seconds(1)
    /// `READINESS_WEBHOOK_GATHER_MS`: the pause before a round that follows a ring or a round
    /// that was not full, so that a round carries what several commits enqueued
    /// (``WebhookDeliveryWorker``): at most this much added to an event's first attempt. 0
    /// sends at once, one round per ring, at a higher cost per event under load.
    public var gathering: Duration = .milliseconds(200)
    /// Events claimed per round, and how many of them are in flight at once.
    public var batchSize = 32
    public var concurrency = 8
    public var retry = RetrySchedule()
    /// Whom receivers' TLS certificates must chain to; the system store unless a test says otherwise.
    public var trust: TLSTrust = .system
    /// `READINESS_PUBLIC_URL`: where the API is reached from outside, for the payloads' links;
    /// nil leaves them as paths relative to the API's root.
    public var publicURL: String?
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` (either case), as the agent and curl
    /// read them: deliveries from a network whose way out is a forward proxy.
    public var proxies = ProxyEnvironment()

    public init() {}

    /// A claimed event is left alone by other replicas this long: four times the attempt's
    /// timeout, i.e. the attempt plus three times as much for building the body and writing the
    /// outcome (60 s with the default 15 s). A replica that dies mid-attempt (SIGKILL, a lost
    /// host) leaves the event to be retried when the lease runs out, by any replica or by
    /// itself restarted: at least once, never lost. A lease that runs out under a slow but
    /// live attempt costs at most a second delivery, never a lost one (the outcome is written
    /// only while the claim is current).
    var claimLease: Duration { requestTimeout * 4 }
}

extension AppConfiguration {
    mutating func readWebhookSettings(_ environment: [String: String]) throws {
        webhooks.proxies = ProxyEnvironment(environment: environment)
        if let value = environment["READINESS_WEBHOOK_ALLOW_PRIVATE"] {
            webhooks.allowPrivateDestinations = try Self.boolean(value, "READINESS_WEBHOOK_ALLOW_PRIVATE")
        }
        if let value = environment["READINESS_WEBHOOK_STALE_SWEEP_S"] {
            webhooks.staleSweepInterval = .seconds(try Self.integer(value, "READINESS_WEBHOOK_STALE_SWEEP_S", in: 1...3600))
        }
        if let value = environment["READINESS_WEBHOOK_TIMEOUT_S"] {
            webhooks.requestTimeout = .seconds(try Self.integer(value, "READINESS_WEBHOOK_TIMEOUT_S", in: 1...60))
        }
        if let value = environment["READINESS_WEBHOOK_GATHER_MS"] {
            webhooks.gathering = .milliseconds(try Self.integer(value, "READINESS_WEBHOOK_GATHER_MS", in: 0...5000))
        }
        if let value = environment["READINESS_WEBHOOK_HISTORY_DAYS"] {
            let days = try Self.integer(value, "READINESS_WEBHOOK_HISTORY_DAYS", in: 0...3650)
            webhooks.historyKept = days == 0 ? nil : .seconds(days * 86_400)
        }
        if let value = environment["READINESS_WEBHOOK_DELIVERY"] {
            webhooks.enabled = try Self.boolean(value, "READINESS_WEBHOOK_DELIVERY")
        }
        if let value = environment["READINESS_PUBLIC_URL"], !value.isEmpty {
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw ConfigurationError(variable: "READINESS_PUBLIC_URL", detail: "expected an absolute http(s) URL, got '\(value)'")
            }
            webhooks.publicURL = value
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
