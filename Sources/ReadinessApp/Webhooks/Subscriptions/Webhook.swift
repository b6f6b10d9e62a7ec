import Foundation
import JSON
import Postgres

/// A subscription as the API shows it (`Webhook`): never its secret, its routing key or its
/// previous secret, which are not even read here.
struct Webhook: Sendable {
    var id: UUID
    var name: String
    var url: String
    var format: String
    var eventTypes: [String]
    var filters: WebhookFilters
    var enabled: Bool
    /// Why the service disabled it (a 410 from the receiver); nil when enabled, or disabled
    /// through the API.
    var disabledReason: String?
    /// Until when the secret replaced by the last rotation still signs; nil without a rotation.
    var previousSecretExpiresAt: Date?
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        id, name, url, format, event_types, site_ids::text[] AS site_ids, regions, tags, verdicts, finding_codes,
        tiers_blocked, enabled, disabled_reason, previous_secret_expires_at, created_at, updated_at
        """
}

// In an extension, so the memberwise initializer stays (tests build values with it).
extension Webhook {
    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: "id")
        name = try row.decode(String.self, column: "name")
        url = try row.decode(String.self, column: "url")
        format = try row.decode(String.self, column: "format")
        eventTypes = try row.decode([String].self, column: "event_types")
        filters = WebhookFilters(
            siteIDs: try row.decode([String]?.self, column: "site_ids")?.compactMap(UUID.init(uuidString:)),
            regions: try row.decode([String]?.self, column: "regions"),
            tags: try row.decode([String]?.self, column: "tags"),
            verdicts: try row.decode([String]?.self, column: "verdicts"),
            findingCodes: try row.decode([String]?.self, column: "finding_codes"),
            tiersBlocked: try row.decode([String]?.self, column: "tiers_blocked"))
        enabled = try row.decode(Bool.self, column: "enabled")
        disabledReason = try row.decode(String?.self, column: "disabled_reason")
        previousSecretExpiresAt = try row.decode(Date?.self, column: "previous_secret_expires_at")
        createdAt = try row.decode(Date.self, column: "created_at")
        updatedAt = try row.decode(Date.self, column: "updated_at")
    }
}

/// Nullable members are written as null, never left out.
extension Webhook: JSONObject, JSONWritable {
    static let members: JSONMembers<Webhook> = [
        JSONMember("id", \.id),
        JSONMember("name", \.name),
        JSONMember("url", \.url),
        JSONMember("format", \.format),
        JSONMember("event_types", \.eventTypes),
        JSONMember("filters", \.filters),
        JSONMember("enabled", \.enabled),
        JSONMember("disabled_reason", \.disabledReason),
        JSONMember("previous_secret_expires_at", \.previousSecretExpiresAt),
        JSONMember("created_at", \.createdAt),
        JSONMember("updated_at", \.updatedAt),
    ]
}

/// `WebhookCreated`: the subscription and, for a `standard` one, its signing secret, shown in
/// this answer only (to its creation and to each rotation). A `pagerduty` one has none to show
/// (its routing key is the client's own and is never returned): `secret` is null.
struct WebhookCreated: Sendable {
    let webhook: Webhook
    let secret: String?
}

extension WebhookCreated: JSONObject, JSONWritable {
    static let members: JSONMembers<WebhookCreated> = [
        JSONMember("webhook", \.webhook),
        JSONMember("secret", \.secret),
    ]
}
