import JSON

/// The fleet history's wire shape, declared once (`ResponseBytesTests.fleetHistoryAnswer`):
/// every verdict counted in a point is written, 0 included.
extension FleetHistory: JSONObject, JSONWritable {
    static let members: JSONMembers<FleetHistory> = [
        JSONMember("bucket") { $0.bucket.rawValue },
        JSONMember("points", \.points),
    ]
}

extension FleetHistory.Point: JSONObject {
    static let members: JSONMembers<FleetHistory.Point> = [
        JSONMember("at", \.at),
        JSONMember("optimal", \.optimal),
        JSONMember("minimal", \.minimal),
        JSONMember("not_ready", \.notReady),
        JSONMember("insufficient_data", \.insufficientData),
    ]
}
