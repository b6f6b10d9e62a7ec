/// A policy version as `GET /v1/policies/{name}` and a publication answer it: only what the
/// tests read (a test that sends a document back reads it as a `PolicyDocumentTree`).
struct PolicyAnswer: Decodable {
    struct Rule: Decodable {
        let id: String
        let source: String
        let remediation: String
    }

    let policy: String
    let version: Int
    let title: String?
    let rules: [Rule]
}

/// A page of `GET /v1/policies`: each policy name with its versions.
struct PolicyListAnswer: Decodable {
    struct Item: Decodable {
        let name: String
        let latestVersion: Int
        let versions: [Int]
    }

    let items: [Item]
}
