import JSON
import HTTPServer

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
        // Lower-case UUIDs written in place (`lowercasedString` built a 36-byte heap String each).
        json.member("run_id", runID)
        json.member("site_id", siteID)
        json.member("status", status.rawValue)
        json.endObject()
    }

    /// One result's answer; nil when a figure is not finite (the caller then lets
    /// `APIJSON` refuse it as before).
    func jsonBytes() -> [UInt8]? {
        try? JSONWriter.document(capacity: 512) { write(to: $0) }
    }
}

extension UploadBatchOutcome {
    func jsonBytes() -> [UInt8]? {
        try? JSONWriter.document(capacity: 256 + results.count * 256) { json in
            json.beginObject()
            json.key("results")
            json.beginArray()
            for outcome in results { outcome.write(to: json) }
            json.endArray()
            json.endObject()
        }
    }
}
