import JSON

/// A policy summary's wire shape, declared once (`ResponseBytesTests.policyListAnswer`).
extension PolicyStore.Summary: JSONObject {
    static let members: JSONMembers<PolicyStore.Summary> = [
        JSONMember("name", \.name),
        JSONMember("latest_version", \.latestVersion),
        JSONMember("versions", \.versions),
    ]
}
