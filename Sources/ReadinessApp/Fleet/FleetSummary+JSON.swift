import JSON

/// The fleet summary's wire shape, declared once (`ResponseBytesTests.fleetSummaryAnswer`).
/// A stale site that never uploaded has `newest_result_at` null, never left out.
extension FleetSummary: JSONObject, JSONWritable {
    static let members: JSONMembers<FleetSummary> = [
        JSONMember("site_count", \.siteCount),
        JSONMember("by_verdict") { JSONKeyedMap($0.byVerdict) },
        JSONMember("top_findings", \.topFindings),
        JSONMember("stale_sites", \.staleSites),
    ]
}

extension FleetSummary.TopFinding: JSONObject {
    static let members: JSONMembers<FleetSummary.TopFinding> = [
        JSONMember("code", \.code),
        JSONMember("site_count", \.siteCount),
        JSONMember("site_ids", \.siteIDs),
    ]
}

extension FleetSummary.StaleSite: JSONObject {
    static let members: JSONMembers<FleetSummary.StaleSite> = [
        JSONMember("id", \.id),
        JSONMember("name", \.name),
        JSONMember("newest_result_at", \.newestResultAt),
    ]
}
