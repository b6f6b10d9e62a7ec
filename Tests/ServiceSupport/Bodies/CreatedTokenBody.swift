/// `POST /v1/tokens`: the token, shown once, and what is stored about it.
public struct CreatedTokenBody: Decodable, Sendable {
    public let token: String
    public let tokenInfo: TokenBody
}
