import JSON

/// The fleet preview's wire shape, declared once (`ResponseBytesTests.fleetPreviewAnswer`).
/// Nil members are written as null, never left out: `candidate_version` for a candidate
/// document, a stale side's `score`, a status or blocked tier where there is none.
extension FleetPreviewDocument: JSONObject, JSONWritable {
    static let members: JSONMembers<FleetPreviewDocument> = [
        JSONMember("policy", \.policy),
        JSONMember("candidate_version", \.candidateVersion),
        JSONMember("assessed_at", \.assessedAt),
        JSONMember("sites", \.sites),
        JSONMember("changed_sites", \.changedSites),
        JSONMember("verdicts_before", \.verdictsBefore),
        JSONMember("verdicts_after", \.verdictsAfter),
        JSONMember("findings_appearing", \.findingsAppearing),
        JSONMember("findings_clearing", \.findingsClearing),
        JSONMember("rules_read_from_bodies", \.rulesReadFromBodies),
        JSONMember("results_read_from_bodies", \.resultsReadFromBodies),
        JSONMember("items", \.items),
        JSONMember("next_cursor", \.nextCursor),
    ]

    /// A page of changed sites, some 400 bytes each.
    var estimatedJSONSize: Int { 1024 + items.count * 448 }
}

extension FleetPreviewDocument.VerdictCounts: JSONObject {
    static let members: JSONMembers<FleetPreviewDocument.VerdictCounts> = [
        JSONMember("optimal", \.optimal),
        JSONMember("minimal", \.minimal),
        JSONMember("not_ready", \.notReady),
        JSONMember("insufficient_data", \.insufficientData),
        JSONMember("stale", \.stale),
    ]
}

extension FleetPreviewDocument.CodeCount: JSONObject {
    static let members: JSONMembers<FleetPreviewDocument.CodeCount> = [
        JSONMember("code", \.code),
        JSONMember("sites", \.sites),
    ]
}

/// Also a page's item: the preview's `Link` comes from a `Page` of them.
extension PreviewedSite: JSONObject, JSONWritable {
    static let members: JSONMembers<PreviewedSite> = [
        JSONMember("site_id", \.siteID),
        JSONMember("site_name", \.siteName),
        JSONMember("region", \.region),
        JSONMember("before", \.before),
        JSONMember("after", \.after),
        JSONMember("findings", \.findings),
    ]
}

extension PreviewedSite.Side: JSONObject {
    static let members: JSONMembers<PreviewedSite.Side> = [
        JSONMember("verdict") { $0.verdict.rawValue },
        JSONMember("score", \.score),
    ]
}

extension PreviewedSite.Change: JSONObject {
    static let members: JSONMembers<PreviewedSite.Change> = [
        JSONMember("rule_id", \.ruleID),
        JSONMember("code", \.code),
        JSONMember("before") { $0.before?.rawValue },
        JSONMember("after") { $0.after?.rawValue },
        JSONMember("blocks_before") { $0.blocksBefore?.rawValue },
        JSONMember("blocks_after") { $0.blocksAfter?.rawValue },
    ]
}
