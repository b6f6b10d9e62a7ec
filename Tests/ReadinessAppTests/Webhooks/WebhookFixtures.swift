import Foundation
import Logging
import Postgres
@testable import ReadinessApp
import ReadinessServiceTestSupport
import SystemCrypto

/// Subscriptions and outbox rows written with plain SQL (the subscriptions API is written in
/// parallel), and settings that run the retry schedule in milliseconds.
enum WebhookFixtures {
    static func secret() throws -> String {
        "whsec_" + Data(try SecureRandom.bytes(count: 24)).base64EncodedString()
    }

    /// Short waits, the ceiling itself as the wait (no randomness), loopback allowed.
    static func configure(_ configuration: inout AppConfiguration) {
        configuration.webhooks.allowPrivateDestinations = true
        configuration.webhooks.pollInterval = .milliseconds(50)
        configuration.webhooks.requestTimeout = .seconds(3)
        configuration.webhooks.retry.firstCeiling = .milliseconds(100)
        configuration.webhooks.retry.maximumCeiling = .milliseconds(200)
        configuration.webhooks.retry.jitter = { $0 }
    }

    @discardableResult
    static func webhook(
        _ database: PostgresPool, url: String, format: String = "standard", secret: String,
        previousSecret: String? = nil, previousExpiresAt: Date? = nil
    ) async throws -> UUID {
        let id = UUID()
        try await database.execute(
            """
            INSERT INTO webhooks (id, name, url, format, event_types, secret, previous_secret, previous_secret_expires_at)
            VALUES (\(id), 'test', \(url), \(format),
                ARRAY['site.verdict_changed','site.finding_appeared','site.finding_cleared','site.stale','site.fresh'],
                \(secret), \(previousSecret), \(previousExpiresAt))
            """)
        return id
    }

    /// An outbox row as the subscriptions' trigger writes it; its id.
    @discardableResult
    static func event(
        _ database: PostgresPool, webhook: UUID, type: String, site: UUID?, change: Int? = nil, dueAt: Date = Date()
    ) async throws -> Int {
        let rows = try await database.query(
            """
            INSERT INTO webhook_events (webhook_id, message_id, type, site_id, change_id, occurred_at, next_attempt_at)
            VALUES (\(webhook), \(try WebhookDeliveryLog.newMessageID()), \(type), \(site), \(change), now(), \(dueAt))
            RETURNING id
            """)
        return try rows[0].decode(Int.self, column: "id")
    }

    /// Polls the outbox until `done` holds (the worker runs on its own; a test waits for the
    /// state it expects, never for a fixed time), failing after `limit`.
    static func waitUntil(
        _ what: String, limit: Duration = .seconds(30), _ done: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await done() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WebhookTestFailure("timed out waiting until \(what)")
    }

    static func states(_ database: PostgresPool) async throws -> [Int: String] {
        var states: [Int: String] = [:]
        for row in try await database.query("SELECT id, state FROM webhook_events") {
            states[try row.decode(Int.self, column: "id")] = try row.decode(String.self, column: "state")
        }
        return states
    }
}

/// Every log line the service wrote, for the test that no secret reaches one.
final class CapturedLog: @unchecked Sendable {  // test-only; `lock` guards `lines`
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var logger: Logger {
        Logger(label: "webhook-tests") { _ in CapturingHandler(log: self) }
    }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            log.append("\(event.level) \(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
        }
    }
}
