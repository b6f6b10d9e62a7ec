/// The answer to `POST /v1/policies/{name}/evaluate`: a posted result scored, not stored.
struct EvaluateAnswer: Decodable {
    struct Site: Decodable {
        let expectedConcurrentUsers: Int
    }

    let verdict: String
    let policy: String
    let site: Site
}
