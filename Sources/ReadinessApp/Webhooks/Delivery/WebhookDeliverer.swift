import Foundation
import HTTPClient
import Logging
import Postgres
import Sockets
import SystemClock
import SystemCrypto

/// Makes attempts: claims due events (or one given event), freezes each one's body with its
/// first attempt, sends it in the subscription's format and writes the attempt and the
/// event's next state. Stateless apart from what it is given; every replica has one.
struct WebhookDeliverer: Sendable {
    let store: OutboxStore
    let payloads: WebhookPayloadBuilder
    let client: KeepAliveClient
    /// The lanes' threads, each sending and reading attempt after attempt: kept between rounds.
    let senders = ReusedThreads(name: "readiness-webhook")
    let settings: WebhookSettings
    let metrics: WebhookMetrics
    let logger: Logger
    let clock: @Sendable () -> Date

    init(
        database: PostgresPool, settings: WebhookSettings, metrics: WebhookMetrics, logger: Logger,
        clock: @escaping @Sendable () -> Date
    ) throws {
        store = OutboxStore(database: database)
        payloads = WebhookPayloadBuilder(database: database, publicURL: settings.publicURL, clock: clock)
        let publicOnly: @Sendable (SocketAddress) -> Bool = { address in DestinationAddressClass(ipBytes: address.ipBytes) == .global }
        let dialer = StreamDialer(
            proxies: settings.proxies, tls: try TLSClientContext(trust: settings.trust), userAgent: "readiness-webhooks/1",
            connectTimeout: settings.requestTimeout,
            addressFilter: settings.allowPrivateDestinations ? nil : publicOnly)
        // As many kept connections per receiver as attempts go out at once.
        client = KeepAliveClient(dialer: dialer, perOrigin: max(settings.concurrency, 1))
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// One round: claims up to a batch of due events, builds the bodies of those sent for the
    /// first time, attempts them with at most `concurrency` in flight, and writes every outcome
    /// (and the new bodies, frozen) in one transaction. Returns how many were claimed (0: nothing is due).
    func deliverDue() async throws -> Int {
        let now = clock()
        let claimed = try await store.claimDue(
            now: now, leaseUntil: now.addingTimeInterval(settings.claimLease.timeInterval), limit: settings.batchSize)
        if !claimed.isEmpty { _ = await attempt(claimed) }
        return claimed.count
    }

    /// Enqueues a `ping` for `webhook` and makes its first attempt now (the test route). Nil
    /// when the subscription does not exist.
    func ping(webhook: UUID) async throws -> AttemptSummary? {
        let now = clock()
        guard let event = try await store.insertClaimedPing(
            webhook: webhook, messageID: try WebhookDeliveryLog.newMessageID(), now: now,
            leaseUntil: now.addingTimeInterval(settings.claimLease.timeInterval))
        else { return nil }
        return await attempt([event])[event.id]
    }

    /// Attempts made and what each came to, in the order they finished.
    private typealias Settled = [(event: ClaimedEvent, settlement: OutboxStore.Settlement)]

    /// What an attempt came to, for the test route's answer.
    struct AttemptSummary: Sendable {
        let attemptID: Int?
        let record: AttemptRecord?
        /// The format had nothing to send for this event.
        let skipped: Bool
    }

    /// One attempt of each claimed event, all at once, by event id. A database failure is
    /// logged and the claims left to expire: those events are retried after the lease (at
    /// least once, never lost); so is an event whose body could not be built (its site is gone).
    func attempt(_ events: [ClaimedEvent]) async -> [Int: AttemptSummary] {
        do {
            let bodies = try await bodies(of: events)
            let sendable = events.compactMap { event in bodies.all[event.id].map { (event, $0) } }
            // Each subscription's URL parsed once a round (URLComponents is not cheap), for
            // the requests and the log lines.
            var urls: [String: RequestURL?] = [:]
            for (event, _) in sendable where urls[event.target.url] == nil {
                // `.some`: a URL that does not parse is kept as nil, not dropped and parsed again.
                urls[event.target.url] = .some(RequestURL(event.target.url))
            }
            let parsed = urls
            // At most `concurrency` attempts at once, one per lane; each lane takes the next
            // attempt as its last one finishes.
            let queue = AttemptQueue(sendable)
            let lanes = min(max(settings.concurrency, 1), queue.count)
            let settled = await withTaskGroup(of: Settled.self) { group in
                for _ in 0..<lanes { group.addTask { await self.lane(taking: queue, urls: parsed) } }
                var settled: Settled = []
                for await done in group { settled += done }
                return settled
            }
            let ids = try await store.settle(settled, builtBodies: bodies.built)
            var summaries: [Int: AttemptSummary] = [:]
            for (event, settlement) in settled {
                switch settlement {
                case .skipped:
                    metrics.count(outcome: "skipped", format: event.target.format)
                    summaries[event.id] = AttemptSummary(attemptID: nil, record: nil, skipped: true)
                case .attempted(let record):
                    metrics.count(outcome: record.outcome.rawValue, format: event.target.format)
                    log(record, event: event, destination: parsed[event.target.url] ?? nil)
                    summaries[event.id] = AttemptSummary(attemptID: ids[event.id], record: record, skipped: false)
                }
            }
            return summaries
        } catch {
            for event in events {
                logger.error("webhook attempt not recorded; retried when its claim expires", metadata: [
                    "webhook_id": .string(event.target.webhookID.uuidString.lowercased()), "event_id": .stringConvertible(event.id),
                    "error": .string(String(describing: error)),
                ])
            }
            return [:]
        }
    }

    /// Each event's body (`all`): the one frozen at an earlier attempt, else built now
    /// (`built`, frozen by ``OutboxStore/settle(_:builtBodies:)`` with this attempt).
    private func bodies(of events: [ClaimedEvent]) async throws -> (all: [Int: [UInt8]], built: [Int: [UInt8]]) {
        var all: [Int: [UInt8]] = [:], built: [Int: [UInt8]] = [:]
        for event in events { if let frozen = event.payload { all[event.id] = Array(frozen.utf8) } }
        let unfrozen = events.filter { $0.payload == nil }
        guard !unfrozen.isEmpty else { return (all, built) }
        for (event, payload) in try await payloads.payloads(for: unfrozen) {
            let body = try payload.encoded()
            all[event] = body
            built[event] = body
        }
        return (all, built)
    }

    /// One sending lane of a round: on one of the sending threads, attempt after attempt from
    /// `queue` until it is empty. Why a lane rather than a hand-over per attempt: each
    /// hand-over to a thread and back woke two more threads for one request (`perf` on a
    /// drain: a third of the service's delivery samples were the kernel switching tasks).
    private func lane(
        taking queue: AttemptQueue, urls: [String: RequestURL?]
    ) async -> Settled {
        // The body never throws; `run` only passes on what a body throws.
        (try? await senders.run { () -> Settled in
            var settled: Settled = []
            while let (event, body) = queue.take() {
                if let settlement = self.settlement(of: event, url: urls[event.target.url] ?? nil, body: body) {
                    settled.append((event, settlement))
                }
            }
            return settled
        }) ?? []
    }

    /// Sends the event's request in its subscription's format, or says why none is sent; nil
    /// when the request could not be made (logged; the claim expires and it is tried again).
    /// Blocks: called on a lane's thread.
    private func settlement(of event: ClaimedEvent, url: RequestURL?, body: [UInt8]) -> OutboxStore.Settlement? {
        let attemptedAt = clock()
        do {
            switch try DeliveryRequest.make(event: event, url: url, body: body, at: attemptedAt, allowPlainHTTP: settings.allowPrivateDestinations) {
            case .skip:
                return .skipped
            case .refuse(let reason):
                return .attempted(AttemptRecord(attemptedAt: attemptedAt, statusCode: nil, error: reason, durationMS: 0, outcome: .failed, nextAttemptAt: nil))
            case .send(let request):
                return .attempted(send(request, event: event, attemptedAt: attemptedAt))
            }
        } catch {
            logger.error("webhook request not made; retried when its claim expires", metadata: [
                "webhook_id": .string(event.target.webhookID.uuidString.lowercased()), "event_id": .stringConvertible(event.id),
                "error": .string(String(describing: error)),
            ])
            return nil
        }
    }

    /// Blocks until the answer, or the request timeout.
    private func send(_ request: OutboundRequest, event: ClaimedEvent, attemptedAt: Date) -> AttemptRecord {
        let started = MonotonicTime.now()
        let result = Result { try client.send(request, timeout: settings.requestTimeout) }
        let milliseconds = MonotonicTime.now().duration(since: started).components
        let durationMS = Int(milliseconds.seconds * 1000 + milliseconds.attoseconds / 1_000_000_000_000_000)
        let now = clock()
        switch result {
        case .success(let response):
            var outcome = DeliveryOutcome.of(status: response.status)
            var next: Date?
            if outcome == .retry {
                next = settings.retry.nextAttempt(
                    afterFailedAttempts: event.attempts, retryAfter: RetryAfter.seconds(response.header("Retry-After"), now: now),
                    now: now, createdAt: event.createdAt)
                if next == nil { outcome = .failed }
            }
            return AttemptRecord(attemptedAt: attemptedAt, statusCode: response.status, error: nil, durationMS: durationMS, outcome: outcome, nextAttemptAt: next)
        case .failure(let error):
            if case HTTPClientError.refusedDestination = error {
                return AttemptRecord(attemptedAt: attemptedAt, statusCode: nil, error: String(describing: error), durationMS: durationMS, outcome: .failed, nextAttemptAt: nil)
            }
            let next = settings.retry.nextAttempt(afterFailedAttempts: event.attempts, retryAfter: nil, now: now, createdAt: event.createdAt)
            return AttemptRecord(
                attemptedAt: attemptedAt, statusCode: nil, error: String(String(describing: error).prefix(500)), durationMS: durationMS,
                outcome: next == nil ? .failed : .retry, nextAttemptAt: next)
        }
    }

    /// Names the subscription, the event and the outcome; never the secret, nor the URL's path
    /// and query (which may hold a token: Slack and Jira automation URLs do).
    private func log(_ record: AttemptRecord, event: ClaimedEvent, destination: RequestURL?) {
        var metadata: Logger.Metadata = [
            "webhook_id": .string(event.target.webhookID.uuidString.lowercased()), "event_id": .stringConvertible(event.id),
            "message_id": .string(event.messageID), "type": .string(event.type), "outcome": .string(record.outcome.rawValue),
            "attempt": .stringConvertible(event.attempts), "duration_ms": .stringConvertible(record.durationMS),
            "destination": .string(destination?.origin.description ?? "invalid"),
        ]
        if let status = record.statusCode { metadata["status"] = .stringConvertible(status) }
        if let error = record.error { metadata["error"] = .string(error) }
        switch record.outcome {
        case .delivered, .retry: logger.info("webhook attempt", metadata: metadata)
        case .failed, .disabled: logger.warning("webhook attempt", metadata: metadata)
        }
    }
}
