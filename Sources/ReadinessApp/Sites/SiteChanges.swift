import Foundation
import HTTPServer

/// The members of a site a client may set, read from a create body or a merge patch
/// (RFC 7396). nil: not sent; `region == .some(nil)`: clear the region.
struct SiteChanges: Sendable {
    static let members: Set<String> = ["name", "region", "timezone", "tags", "expected_users", "longest_call_s", "policy"]
    /// Limits from the issue (≤ 32 tags of ≤ 64 characters) and the CHECKs of migration 0001.
    static let maxTags = 32
    static let tagLengths = 1...64
    static let nameLengths = 1...255
    static let regionLengths = 1...255
    static let expectedUsers = 1...1_000_000
    static let longestCall = 1...604_800  // one week

    var name: String?
    var region: String??
    var timezone: String?
    var tags: [String]?
    var expectedUsers: Int?
    var longestCallS: Int?
    var policy: PolicyReference?

    /// Reads every member, validating each; unknown members and the policy's existence included.
    /// Throws 422 naming every fault.
    static func read(_ request: HTTPRequest, isPatch: Bool, policies: PolicyCatalog) async throws -> SiteChanges {
        let body = try ObjectBody(request)
        var reader = FieldReader()
        var changes = SiteChanges()
        if isPatch && body.isEmpty { reader.fault("", "a site patch must change at least one member") }
        for member in body.members {
            let pointer = ObjectBody.pointer(member.key)
            switch member.key {
            case "name": changes.name = reader.string(member.value, at: pointer, lengths: nameLengths).value
            case "region":
                switch reader.string(member.value, at: pointer, lengths: regionLengths, nullable: true) {
                case .value(let region): changes.region = .some(region)
                case .null: changes.region = .some(nil)
                case .absent, .invalid: break
                }
            case "timezone":
                if let zone = reader.string(member.value, at: pointer, lengths: 1...255).value {
                    if TimeZone(identifier: zone) == nil {
                        reader.fault(pointer, "is not an IANA time zone name")
                    } else {
                        changes.timezone = zone
                    }
                }
            case "tags": changes.tags = reader.strings(member.value, at: pointer, maxCount: maxTags, lengths: tagLengths).value
            case "expected_users": changes.expectedUsers = reader.integer(member.value, at: pointer, in: expectedUsers).value
            case "longest_call_s": changes.longestCallS = reader.integer(member.value, at: pointer, in: longestCall).value
            case "policy":
                changes.policy = PolicyReference.read(member.value, at: pointer, into: &reader)
                if let policy = changes.policy {
                    try await policy.checkExists(in: policies, at: pointer, into: &reader)
                }
            default:
                reader.fault(pointer, isPatch ? "is not a member a site patch may change" : "is not a member of a site")
            }
        }
        if !isPatch && body["name"] == nil { reader.fault("/name", "is required") }
        try reader.throwIfFaulty()
        return changes
    }

    /// `record` with these changes applied.
    func applied(to record: SiteRecord) -> SiteRecord {
        var site = record
        if let name { site.name = name }
        if let region { site.region = region }
        if let timezone { site.timezone = timezone }
        if let tags { site.tags = tags }
        if let expectedUsers { site.expectedUsers = expectedUsers }
        if let longestCallS { site.longestCallS = longestCallS }
        if let policy {
            site.policyName = policy.name
            site.policyVersion = policy.version
        }
        return site
    }
}
