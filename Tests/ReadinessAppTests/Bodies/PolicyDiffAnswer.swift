/// The answer to `GET /v1/policies/{name}/diff`: the rules one version adds, removes and
/// changes against another.
struct PolicyDiffAnswer: Decodable {
    struct Rule: Decodable {
        let id: String
    }

    struct ChangedRule: Decodable {
        let ruleId: String
        let fields: [Field]
    }

    /// One changed value, named by its path in the rule.
    struct Field: Decodable {
        let field: String
        let from: Double?
        let to: Double?
    }

    let from: Int
    let to: Int
    let added: [Rule]
    let removed: [Rule]
    let changed: [ChangedRule]
}
