import Foundation
import JSON
import Postgres

/// One attempt as `GET /v1/webhooks/{id}/deliveries` lists it (openapi `WebhookDelivery`).
struct WebhookDelivery: Sendable {
    /// `dlv_<n>`: the attempt's id, opaque to clients, and the pagination key (newest first).
    let id: String
    let messageID: String
    let eventType: String
    let siteID: String?
    let attemptedAt: Date
    let statusCode: Int?
    let error: String?
    let durationMS: Int
    let outcome: String
    let nextAttemptAt: Date?
    /// The event's state now: pending (a retry is due), delivered, failed or skipped.
    let eventState: String
    /// The bigserial behind `id`, for the cursor; not a member.
    let sequence: Int

    static let prefix = "dlv_"

    /// The attempt id a `dlv_<n>` names; nil for anything else.
    static func sequence(of id: String) -> Int? {
        guard id.hasPrefix(prefix), let value = Int(id.dropFirst(prefix.count)), value > 0 else { return nil }
        return value
    }
}

// Members are written as null rather than left out.
extension WebhookDelivery: JSONObject, JSONWritable {
    static let members: JSONMembers<WebhookDelivery> = [
        JSONMember("id", \.id),
        JSONMember("message_id", \.messageID),
        JSONMember("event_type", \.eventType),
        JSONMember("site_id", \.siteID),
        JSONMember("attempted_at", \.attemptedAt),
        JSONMember("status_code", \.statusCode),
        JSONMember("error", \.error),
        JSONMember("duration_ms", \.durationMS),
        JSONMember("outcome", \.outcome),
        JSONMember("next_attempt_at", \.nextAttemptAt),
        JSONMember("event_state", \.eventState),
    ]
}

// In an extension, so the memberwise initializer stays (tests build values with it).
extension WebhookDelivery {
    init(row: PostgresRow) throws {
        sequence = try row.decode(Int.self, column: "id")
        id = Self.prefix + String(sequence)
        messageID = try row.decode(String.self, column: "message_id")
        eventType = try row.decode(String.self, column: "type")
        siteID = try row.decode(UUID?.self, column: "site_id")?.uuidString.lowercased()
        attemptedAt = try row.decode(Date.self, column: "attempted_at")
        statusCode = try row.decode(Int?.self, column: "status_code")
        error = try row.decode(String?.self, column: "error")
        durationMS = try row.decode(Int.self, column: "duration_ms")
        outcome = try row.decode(String.self, column: "outcome")
        nextAttemptAt = try row.decode(Date?.self, column: "next_attempt_at")
        eventState = try row.decode(String.self, column: "state")
    }
}
