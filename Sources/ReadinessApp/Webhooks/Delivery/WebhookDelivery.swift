import Foundation
import Postgres

/// One attempt as `GET /v1/webhooks/{id}/deliveries` lists it (openapi `WebhookDelivery`).
struct WebhookDelivery: Encodable, Sendable {
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
    /// The bigserial behind `id`, for the cursor; not encoded.
    let sequence: Int

    enum CodingKeys: String, CodingKey {
        case id, error, outcome
        case messageID = "message_id", eventType = "event_type", siteID = "site_id", attemptedAt = "attempted_at"
        case statusCode = "status_code", durationMS = "duration_ms", nextAttemptAt = "next_attempt_at", eventState = "event_state"
    }

    // Members are written as null rather than left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(siteID, forKey: .siteID)
        try container.encode(attemptedAt, forKey: .attemptedAt)
        try container.encode(statusCode, forKey: .statusCode)
        try container.encode(error, forKey: .error)
        try container.encode(durationMS, forKey: .durationMS)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(eventState, forKey: .eventState)
    }

    static let prefix = "dlv_"

    /// The attempt id a `dlv_<n>` names; nil for anything else.
    static func sequence(of id: String) -> Int? {
        guard id.hasPrefix(prefix), let value = Int(id.dropFirst(prefix.count)), value > 0 else { return nil }
        return value
    }
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
