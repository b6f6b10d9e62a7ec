import JSON

/// A fleet page's item, declared once (`JSONWritableTests.fleetPagesAreTheBytesAPIJSONWrote`,
/// `ResponseBytesTests`); nil members are written as null.
extension FleetAssessment: JSONObject, JSONWritable {
    static let members: JSONMembers<FleetAssessment> = [
        JSONMember("site_id", \.siteID),
        JSONMember("site_name", \.siteName),
        JSONMember("region", \.region),
        JSONMember("verdict", \.verdict),
        JSONMember("score", \.score),
        JSONMember("mos", \.mos),
        JSONMember("transport", \.transport),
        JSONMember("finding_codes", \.findingCodes),
        JSONMember("newest_result_at", \.newestResultAt),
    ]
}
