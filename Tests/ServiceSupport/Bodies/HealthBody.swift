/// `GET /healthz`.
public struct HealthBody: Decodable, Sendable {
    public let status: String
}
