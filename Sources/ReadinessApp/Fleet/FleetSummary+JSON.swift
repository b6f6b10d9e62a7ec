import JSON

/// The fleet summary's wire shape, declared once (`ResponseBytesTests.fleetSummaryAnswer`).
/// A stale site that never uploaded has `newest_result_at` null, never left out.
extension FleetSummary: JSONObject, JSONWritable {
    static let members: JSONMembers<FleetSummary> = [
        JSONMember("site_count", \.siteCount),
        JSONMember("by_verdict") { NamedCounts($0.byVerdict) },
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

/// Counts by name (`by_verdict`), an object whose keys are data: written in byte order of the
/// names, the order `.sortedKeys` gives a dictionary's keys, so equal counts are equal bytes.
struct NamedCounts: JSONMemberValue {
    let counts: [String: Int]

    init(_ counts: [String: Int]) { self.counts = counts }

    func write(to json: JSONWriter) {
        json.beginObject()
        for (name, count) in counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.key(name)
            json.int(count)
        }
        json.endObject()
    }

    var encoded: [String: Int] { counts }
}
