import JSON

/// The history answer written with `JSONWriter` (`JSONWritableTests.historyIsTheBytesAPIJSONWrote`
/// holds it to `APIJSON`'s bytes).
extension HistoryPoint: JSONWritable {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member("at", timestamp: at)
        json.memberOrNull("down_kbps", downKbps)
        json.memberOrNull("jitter_ms_p50", jitterMsP50)
        json.memberOrNull("loss_pct_p50", lossPctP50)
        json.member("result_count", resultCount)
        json.memberOrNull("rtt_ms_p50", rttMsP50)
        json.memberOrNull("score", score)
        json.memberOrNull("up_kbps", upKbps)
        json.member("verdict", verdict)
        json.endObject()
    }
}

extension SiteHistory: JSONWritable {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member("bucket", bucket.rawValue)
        json.key("points")
        json.beginArray()
        for point in points { point.write(to: json) }
        json.endArray()
        json.member("site_id", siteID)
        json.endObject()
    }

    /// A point is some 200 bytes.
    var estimatedJSONSize: Int { 128 + points.count * 224 }
}
