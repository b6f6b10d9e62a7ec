import JSON

/// The upload answer's wire shapes, declared once: written with `JSONWriter` on every upload,
/// the same bytes `APIJSON.encoder` writes from the same members (UploadOutcomeJSONTests,
/// ResponseBytesTests). Nulls are written, never omitted: the draft lists every member as
/// required.
extension AssessmentSummary: JSONObject {
    static let members: JSONMembers<AssessmentSummary> = [
        JSONMember("verdict") { $0.verdict.rawValue },
        JSONMember("score", \.score),
        JSONMember("mos", \.mos),
        JSONMember("transport") { $0.transport?.rawValue },
        JSONMember("finding_codes", \.findingCodes),
    ]
}

/// UUIDs in the lower-case form RFC 9562 §4 recommends, written in place.
extension UploadOutcome: JSONObject, JSONWritable {
    static let members: JSONMembers<UploadOutcome> = [
        JSONMember("run_id", \.runID),
        JSONMember("site_id", \.siteID),
        JSONMember("status") { $0.status.rawValue },
        JSONMember("assessment", \.assessment),
    ]

    var estimatedJSONSize: Int { 512 }
}

extension UploadBatchOutcome: JSONObject, JSONWritable {
    static let members: JSONMembers<UploadBatchOutcome> = [JSONMember("results", \.results)]

    var estimatedJSONSize: Int { 256 + results.count * 256 }
}
