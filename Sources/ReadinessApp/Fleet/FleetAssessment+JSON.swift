import JSON

/// A fleet page's item written with `JSONWriter` (`JSONWritableTests.fleetPagesAreTheBytesAPIJSONWrote`
/// holds it to `APIJSON`'s bytes).
extension FleetAssessment: JSONWritable {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.key("finding_codes")
        json.beginArray()
        for code in findingCodes { json.string(code) }
        json.endArray()
        json.memberOrNull("mos", mos)
        json.key("newest_result_at")
        if let newestResultAt { json.timestamp(newestResultAt) } else { json.null() }
        json.memberOrNull("region", region)
        json.memberOrNull("score", score)
        json.member("site_id", siteID)
        json.member("site_name", siteName)
        json.memberOrNull("transport", transport)
        json.member("verdict", verdict)
        json.endObject()
    }
}
