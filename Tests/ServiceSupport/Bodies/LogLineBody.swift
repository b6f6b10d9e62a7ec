/// One line of the service's JSON log (`LogFormat.json`): what every line carries.
public struct LogLineBody: Decodable, Sendable {
    /// Kept as the text written: the log's own RFC 3339 form is under test.
    public let time: String
    public let level: String
    public let label: String
    public let message: String
}
