import Foundation
import Postgres

/// Subscriptions in `webhooks` (migration 0019). The secrets go in and are never read back
/// here: the delivery reads them where it signs.
struct WebhookStore: Sendable {
    let database: PostgresPool

    /// A new subscription, enabled unless `enabled` is false.
    func create(_ input: WebhookInput, format: WebhookFormat, secret: String, now: Date) async throws -> Webhook {
        let filters = input.filters.applied(to: WebhookFilters())
        let rows = try await database.query(
            """
            INSERT INTO webhooks (id, name, url, format, event_types, site_ids, regions, tags, verdicts, finding_codes,
                tiers_blocked, secret, enabled, created_at, updated_at)
            VALUES (\(UUID()), \(input.name ?? ""), \(input.url ?? ""), \(format.rawValue), \(input.eventTypes ?? []),
                \(filters.siteIDs?.map(\.apiString))::uuid[], \(filters.regions), \(filters.tags), \(filters.verdicts),
                \(filters.findingCodes), \(filters.tiersBlocked), \(secret), \(input.enabled ?? true), \(now), \(now))
            RETURNING \(unsafeRaw: Webhook.columns)
            """)
        guard let row = rows.first else { throw MissingRowError(statement: "INSERT INTO webhooks") }
        return try Webhook(row: row)
    }

    /// One page in id order; `limit + 1` rows.
    func list(after: UUID?, limit: Int) async throws -> [Webhook] {
        let rows = try await database.query(
            """
            SELECT \(unsafeRaw: Webhook.columns) FROM webhooks
            WHERE (\(after)::uuid IS NULL OR id > \(after)) ORDER BY id LIMIT \(limit + 1)
            """, idempotent: true)
        return try rows.map(Webhook.init(row:))
    }

    func find(_ id: UUID) async throws -> Webhook? {
        let rows = try await database.query(
            "SELECT \(unsafeRaw: Webhook.columns) FROM webhooks WHERE id = \(id)", idempotent: true)
        return try rows.first.map(Webhook.init(row:))
    }

    /// The patch applied; nil when no such subscription exists. Enabling or disabling through
    /// the API clears the reason the service gave for disabling it.
    func update(_ id: UUID, with input: WebhookInput, now: Date) async throws -> Webhook? {
        let filters = input.filters
        let rows = try await database.query(
            """
            UPDATE webhooks SET
                name = coalesce(\(input.name), name),
                url = coalesce(\(input.url), url),
                event_types = coalesce(\(input.eventTypes), event_types),
                site_ids = CASE WHEN \(filters.siteIDs != nil) THEN \(filters.siteIDs??.map(\.apiString))::uuid[] ELSE site_ids END,
                regions = CASE WHEN \(filters.regions != nil) THEN \(filters.regions ?? nil)::text[] ELSE regions END,
                tags = CASE WHEN \(filters.tags != nil) THEN \(filters.tags ?? nil)::text[] ELSE tags END,
                verdicts = CASE WHEN \(filters.verdicts != nil) THEN \(filters.verdicts ?? nil)::text[] ELSE verdicts END,
                finding_codes = CASE WHEN \(filters.findingCodes != nil) THEN \(filters.findingCodes ?? nil)::text[]
                    ELSE finding_codes END,
                tiers_blocked = CASE WHEN \(filters.tiersBlocked != nil) THEN \(filters.tiersBlocked ?? nil)::text[]
                    ELSE tiers_blocked END,
                enabled = coalesce(\(input.enabled), enabled),
                disabled_reason = CASE WHEN \(input.enabled)::boolean IS NULL THEN disabled_reason END,
                updated_at = \(now)
            WHERE id = \(id)
            RETURNING \(unsafeRaw: Webhook.columns)
            """)
        return try rows.first.map(Webhook.init(row:))
    }

    /// False when no such subscription exists. Its pending events and delivery log go with it.
    func delete(_ id: UUID) async throws -> Bool {
        !(try await database.query("DELETE FROM webhooks WHERE id = \(id) RETURNING id")).isEmpty
    }

    /// A `standard` subscription's new signing secret; the one it replaces keeps signing until
    /// `now + overlapS` (a rotation within that overlap ends the older one's at once). nil when
    /// no standard subscription has this id.
    func rotateSigningSecret(_ id: UUID, to secret: String, overlapS: Int, now: Date) async throws -> Webhook? {
        let rows = try await database.query(
            """
            UPDATE webhooks SET previous_secret = secret, secret = \(secret),
                previous_secret_expires_at = \(now.addingTimeInterval(TimeInterval(overlapS))), updated_at = \(now)
            WHERE id = \(id) AND format = 'standard'
            RETURNING \(unsafeRaw: Webhook.columns)
            """)
        return try rows.first.map(Webhook.init(row:))
    }

    /// A `pagerduty` subscription's new routing key, used from the next delivery on (PagerDuty
    /// checks no signature, so nothing overlaps). nil when no pagerduty subscription has this id.
    func replaceRoutingKey(_ id: UUID, with key: String, now: Date) async throws -> Webhook? {
        let rows = try await database.query(
            """
            UPDATE webhooks SET secret = \(key), previous_secret = NULL, previous_secret_expires_at = NULL,
                updated_at = \(now)
            WHERE id = \(id) AND format = 'pagerduty'
            RETURNING \(unsafeRaw: Webhook.columns)
            """)
        return try rows.first.map(Webhook.init(row:))
    }

    /// Which of `ids` name no site (archived ones exist).
    func unknownSites(_ ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.query(
            "SELECT id FROM sites WHERE id = ANY(\(ids.map(\.apiString))::uuid[])", idempotent: true)
        let known = Set(try rows.map { try $0.decode(UUID.self, column: "id") })
        return Set(ids).subtracting(known)
    }
}
