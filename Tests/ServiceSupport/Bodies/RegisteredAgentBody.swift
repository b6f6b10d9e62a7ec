/// `POST /v1/sites/{id}/agents`: the agent and its bearer token, shown once.
public struct RegisteredAgentBody: Decodable, Sendable {
    public let agent: SiteAgentBody
    public let token: String
}
