import HTTPServer
import ReadinessDomain

/// The upload answer written with `JSONWriter`, byte for byte what `APIJSON.encoder` writes
/// for these types (UploadOutcomeJSONTests), without Foundation's encoder on every upload.
extension UploadOutcome {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.key("assessment")
        json.beginObject()
        json.key("finding_codes")
        json.beginArray()
        for code in assessment.findingCodes { json.string(code) }
        json.endArray()
        json.memberOrNull("mos", assessment.mos)
        json.memberOrNull("score", assessment.score)
        json.memberOrNull("transport", assessment.transport?.rawValue)
        json.member("verdict", assessment.verdict.rawValue)
        json.endObject()
        json.member("run_id", runID.lowercasedString)
        json.member("site_id", siteID.lowercasedString)
        json.member("status", status.rawValue)
        json.endObject()
    }

    /// One result's answer; nil when a figure is not finite (the caller then lets
    /// `APIJSON` refuse it as before).
    func jsonBytes() -> [UInt8]? {
        let json = JSONWriter(capacity: 512)
        write(to: json)
        return try? json.finished()
    }
}

extension UploadBatchOutcome {
    func jsonBytes() -> [UInt8]? {
        let json = JSONWriter(capacity: 256 + results.count * 256)
        json.beginObject()
        json.key("results")
        json.beginArray()
        for outcome in results { outcome.write(to: json) }
        json.endArray()
        json.endObject()
        return try? json.finished()
    }
}
