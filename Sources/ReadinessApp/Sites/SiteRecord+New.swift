import Foundation

extension SiteRecord {
    /// A site about to be created: the changes of a create body over the defaults the API
    /// documents (timezone UTC, no tags, 10 users, one-hour calls, policy sococo, newest version).
    init(id: UUID, creating changes: SiteChanges, now: Date) {
        self.id = id
        name = changes.name ?? ""
        region = changes.region ?? nil
        timezone = changes.timezone ?? "UTC"
        tags = changes.tags ?? []
        expectedUsers = changes.expectedUsers ?? 10
        longestCallS = changes.longestCallS ?? 3600
        policyName = changes.policy?.name ?? PolicyReference.default.name
        policyVersion = changes.policy?.version
        archivedAt = nil
        createdAt = now
        updatedAt = now
    }
}
