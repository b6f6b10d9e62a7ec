import Foundation
import SystemCrypto

/// How the delivery worker runs: the numbers (15 s per attempt, retries for 24 hours)
/// as defaults, every one a setting so tests run the whole schedule in milliseconds.
public struct WebhookDeliverySettings: Sendable {
    /// Off: this replica delivers nothing (the outbox still fills; another replica delivers).
    public var enabled = true
    /// The whole of one attempt: connect, TLS, send, and the receiver's answer.
    public var requestTimeout: Duration = .seconds(15)
    /// How often an idle worker looks for due events (it is also woken after a test or a
    /// redelivery is enqueued on this replica).
    public var pollInterval: Duration = .seconds(1)
    /// Events claimed per round, and how many of them are in flight at once.
    public var batchSize = 32
    public var concurrency = 8
    public var retry = RetrySchedule()
    /// `READINESS_WEBHOOK_ALLOW_PRIVATE`: send to loopback, private, link-local and metadata
    /// addresses, and over plain `http`. For tests and closed networks only.
    public var allowPrivateDestinations = false
    /// Whom receivers' TLS certificates must chain to; the system store unless a test says otherwise.
    public var trust: TLSTrust = .system
    /// `READINESS_PUBLIC_URL`: where the API is reached from outside, for the payloads' links;
    /// nil leaves them as paths relative to the API's root.
    public var publicURL: String?

    public init() {}

    /// A claimed event is left alone by other replicas this long: the attempt's own timeout
    /// plus a margin for writing its outcome. A replica that dies mid-attempt leaves the
    /// event to be retried when the lease runs out (at least once, never lost).
    var claimLease: Duration { requestTimeout + .seconds(45) }
}
