import Foundation

/// A site as the API shows it (`Site` in the OpenAPI document). Nullable members are written
/// as null, never left out, so clients see one shape.
struct SiteResponse: Encodable, Sendable {
    let record: SiteRecord

    init(_ record: SiteRecord) { self.record = record }

    enum CodingKeys: String, CodingKey {
        case id, name, region, timezone, tags, policy
        case expectedUsers = "expected_users"
        case longestCallS = "longest_call_s"
        case archivedAt = "archived_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id.apiString, forKey: .id)
        try container.encode(record.name, forKey: .name)
        try container.encode(record.region, forKey: .region)
        try container.encode(record.timezone, forKey: .timezone)
        try container.encode(record.tags, forKey: .tags)
        try container.encode(record.expectedUsers, forKey: .expectedUsers)
        try container.encode(record.longestCallS, forKey: .longestCallS)
        try container.encode(PolicyReference(name: record.policyName, version: record.policyVersion), forKey: .policy)
        try container.encode(record.archivedAt, forKey: .archivedAt)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}
