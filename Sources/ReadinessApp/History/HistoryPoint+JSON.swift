import JSON

/// The history answer's wire shape, declared once: `JSONObject` writes it with `JSONWriter`
/// and gives `APIJSON.encoder` the same members (`JSONWritableTests.historyIsTheBytesAPIJSONWrote`,
/// `ResponseBytesTests`). Every member is required by the contract: nulls are written, never
/// left out.
extension HistoryPoint: JSONObject, JSONWritable {
    static let members: JSONMembers<HistoryPoint> = [
        JSONMember("at", \.at),
        JSONMember("verdict", \.verdict),
        JSONMember("score", \.score),
        JSONMember("rtt_ms_p50", \.rttMsP50),
        JSONMember("jitter_ms_p50", \.jitterMsP50),
        JSONMember("loss_pct_p50", \.lossPctP50),
        JSONMember("down_kbps", \.downKbps),
        JSONMember("up_kbps", \.upKbps),
        JSONMember("result_count", \.resultCount),
    ]
}

extension SiteHistory: JSONObject, JSONWritable {
    static let members: JSONMembers<SiteHistory> = [
        JSONMember("site_id", \.siteID),
        JSONMember("bucket") { $0.bucket.rawValue },
        JSONMember("points", \.points),
    ]

    /// A point is some 200 bytes.
    var estimatedJSONSize: Int { 128 + points.count * 224 }
}
