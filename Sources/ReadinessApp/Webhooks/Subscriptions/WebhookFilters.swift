import Foundation
import JSON
import ReadinessScoring

/// Which events of the wanted types a subscription gets (`filters` in the API; one column of
/// `webhooks` each). nil matches every value; a list matches when any of its values does;
/// every filter given must match. What each one is compared with, event by event, is
/// migration 0020's (and the README's) to say; the trigger and the staleness sweep apply it.
struct WebhookFilters: Sendable, Equatable {
    var siteIDs: [UUID]?
    var regions: [String]?
    var tags: [String]?
    var verdicts: [String]?
    var findingCodes: [String]?
    var tiersBlocked: [String]?

    static let names: Set<String> = ["site_ids", "regions", "tags", "verdicts", "finding_codes", "tiers_blocked"]
    static let maxSiteIDs = 1_000
    static let maxValues = 100
}

/// Every filter is written, null when absent, so a client sees the whole shape.
extension WebhookFilters: JSONObject {
    static let members: JSONMembers<WebhookFilters> = [
        JSONMember("site_ids", \.siteIDs),
        JSONMember("regions", \.regions),
        JSONMember("tags", \.tags),
        JSONMember("verdicts", \.verdicts),
        JSONMember("finding_codes", \.findingCodes),
        JSONMember("tiers_blocked", \.tiersBlocked),
    ]
}

/// A change to the filters, member by member (RFC 7396): nil leaves a filter as it is,
/// `.some(nil)` removes it, `.some(list)` sets it.
struct WebhookFilterChanges: Sendable, Equatable {
    var siteIDs: [UUID]??
    var regions: [String]??
    var tags: [String]??
    var verdicts: [String]??
    var findingCodes: [String]??
    var tiersBlocked: [String]??

    /// Every filter removed (`"filters": null`).
    static let clearAll = WebhookFilterChanges(
        siteIDs: .some(nil), regions: .some(nil), tags: .some(nil), verdicts: .some(nil), findingCodes: .some(nil),
        tiersBlocked: .some(nil))

    func applied(to filters: WebhookFilters) -> WebhookFilters {
        var result = filters
        if let siteIDs { result.siteIDs = siteIDs }
        if let regions { result.regions = regions }
        if let tags { result.tags = tags }
        if let verdicts { result.verdicts = verdicts }
        if let findingCodes { result.findingCodes = findingCodes }
        if let tiersBlocked { result.tiersBlocked = tiersBlocked }
        return result
    }

    /// Reads `filters` (an object of the six lists, or null), recording every fault.
    static func read(_ value: FieldReader.JSON, into reader: inout FieldReader) -> WebhookFilterChanges {
        if value == .null { return .clearAll }
        guard case .object(let members) = value else {
            reader.fault("/filters", "must be an object of filters, or null for none")
            return WebhookFilterChanges()
        }
        var changes = WebhookFilterChanges()
        for member in members {
            let pointer = "/filters" + ObjectBody.pointer(member.key)
            switch member.key {
            case "site_ids":
                changes.siteIDs = reader.filterList(member.value, at: pointer, maxCount: WebhookFilters.maxSiteIDs, lengths: 36...36) { text in
                    UUID(uuidString: text) == nil ? "must be a site id (a UUID)" : nil
                }.map { $0?.compactMap(UUID.init(uuidString:)) }
            case "regions":
                changes.regions = reader.filterList(member.value, at: pointer, maxCount: WebhookFilters.maxValues, lengths: SiteChanges.regionLengths)
            case "tags":
                changes.tags = reader.filterList(member.value, at: pointer, maxCount: WebhookFilters.maxValues, lengths: SiteChanges.tagLengths)
            case "verdicts":
                let known = Verdict.allCases.map(\.rawValue)
                changes.verdicts = reader.filterList(member.value, at: pointer, maxCount: known.count, lengths: 1...32) { text in
                    known.contains(text) ? nil : "must be one of \(known.map { "\"\($0)\"" }.joined(separator: ", "))"
                }
            case "finding_codes":
                changes.findingCodes = reader.filterList(member.value, at: pointer, maxCount: WebhookFilters.maxValues, lengths: 1...64) { text in
                    text.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
                        ? nil : "must be a finding code (capital letters, digits and _, e.g. UDP_3478_BLOCKED)"
                }
            case "tiers_blocked":
                changes.tiersBlocked = reader.filterList(member.value, at: pointer, maxCount: 2, lengths: 1...16) { text in
                    Tier(rawValue: text) == nil ? "must be \"minimal\" or \"optimal\"" : nil
                }
            default:
                reader.fault(pointer, "is not a filter (\(filterNames))")
            }
        }
        return changes
    }

    private static let filterNames = WebhookFilters.names.sorted().joined(separator: ", ")
}

extension FieldReader {
    /// A filter's list: null (no filter), or a non-empty list of distinct strings each of which
    /// `check` accepts (it answers the fault's detail, or nil). An empty list would match no
    /// event at all, which is never what a subscription means: it is refused.
    /// nil: the member was invalid (a fault is recorded).
    mutating func filterList(
        _ value: JSON, at pointer: String, maxCount: Int, lengths: ClosedRange<Int>,
        check: (String) -> String? = { _ in nil }
    ) -> [String]?? {
        if value == .null { return .some(nil) }
        guard case .value(let list) = strings(value, at: pointer, maxCount: maxCount, lengths: lengths) else { return nil }
        if list.isEmpty {
            fault(pointer, "must not be empty: leave the filter out, or null, to match every value")
            return nil
        }
        let before = faults.count
        for (index, text) in list.enumerated() {
            if let detail = check(text) { fault("\(pointer)/\(index)", detail) }
        }
        return faults.count == before ? .some(list) : nil
    }
}
