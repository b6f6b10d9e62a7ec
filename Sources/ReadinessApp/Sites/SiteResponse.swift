import Foundation
import JSON

/// A site as the API shows it (`Site` in the OpenAPI document), declared once
/// (`ResponseBytesTests.siteAnswers`). Nullable members are written as null, never left out,
/// so clients see one shape.
struct SiteResponse: Sendable {
    let record: SiteRecord

    init(_ record: SiteRecord) { self.record = record }
}

extension SiteResponse: JSONObject, JSONWritable {
    static let members: JSONMembers<SiteResponse> = [
        JSONMember("id", \.record.id),
        JSONMember("name", \.record.name),
        JSONMember("region", \.record.region),
        JSONMember("timezone", \.record.timezone),
        JSONMember("tags", \.record.tags),
        JSONMember("expected_users", \.record.expectedUsers),
        JSONMember("longest_call_s", \.record.longestCallS),
        JSONMember("policy") { PolicyReference(name: $0.record.policyName, version: $0.record.policyVersion) },
        JSONMember("archived_at", \.record.archivedAt),
        JSONMember("created_at", \.record.createdAt),
        JSONMember("updated_at", \.record.updatedAt),
    ]
}
